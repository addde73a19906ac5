"""The store: every SQL statement of Lägesbild, one module per group of tables.

Callers use this package's names (``store.save_answers(db, ...)``) and never build SQL.
Writes run inside ``transaction()`` (BEGIN IMMEDIATE) together with their audit rows, so a
failed request leaves nothing half-saved. Refusals are typed errors with codes
(``survey.store.errors``); turning a code into words is the front end's job.
"""

from survey.store import jobs  # noqa: E402, F401 - background jobs: store.jobs.get_job(db, …)
from survey.store.audit import (  # noqa: F401
    AUDIT_COLUMNS,
    audit_entries,
    audit_row,
    record,
    record_audit,
)
from survey.store.carry_over import (  # noqa: F401
    CARRIED,
    CONFIRMED,
    EDITED,
    carried_over,
    carry_over_answers,
    confirm_carried,
    confirmed_unchanged,
    confirmed_unchanged_for_round,
    unconfirmed,
)
from survey.store.code_statuses import (  # noqa: F401
    ACCEPTED,
    ADDED,
    AUTO_ACCEPTED,
    AUTO_REJECTED,
    BLIND,
    HUMAN_SOURCE,
    HUMAN_STATUSES,
    MACHINE_STATUSES,
    PRESENT_STATUSES,
    PRIMARY,
    REJECTED,
    REMOVED,
    REVIEWABLE_RESPONSES,
    TO_REVIEW,
)
from survey.store.codes import (  # noqa: F401
    answer_context,
    answer_model_version,
    answer_text,
    blind_labels,
    code_by_id,
    codes_for_answer,
    codes_for_round,
    is_done,
    iter_free_text,
    record_decision,
    store_codes,
    took_part,
    took_part_sql,
    verified_examples,
)
from survey.store.compilation import (  # noqa: F401
    DELIVERED,
    LATE,
    NOT_DELIVERED,
    ON_TIME,
    SENT_BACK,
    SOURCE_KINDS,
    AssessmentConflict,
    AssessmentSave,
    CompilationError,
    add_source,
    all_county_assessments,
    assessment,
    assessment_history,
    assessments,
    choose_quote,
    deliver,
    deliveries,
    delivery,
    delivery_timing,
    is_delivered,
    quote_choices,
    remove_source,
    save_assessment,
    send_back,
    set_round_report_settings,
    sources,
)
from survey.store.connection import (  # noqa: F401
    DRAFT,
    NOT_STARTED,
    REOPENED,
    SUBMITTED,
    connect,
    decode,
    encode,
    in_county,
    now,
    transaction,
)
from survey.store.consistency import *  # noqa: F403 - direction and conflicts (#10)
from survey.store.contacts import (  # noqa: F401
    answered_emails,
    contact,
    record_reminder,
    set_contact,
)
from survey.store.dashboard import (  # noqa: F401
    STATUSES,
    counts,
    county_summaries,
    export_rows,
    round_summaries,
    status_counts,
    status_row,
    status_rows,
)
from survey.store.decisions import (  # noqa: F401
    ACTIONS,
    Reviewer,
    UndoResult,
    add_code,
    blind_decide,
    blind_done,
    bulk_accept,
    decide,
    last_batch,
    mark_done,
    undo_last,
)
from survey.store.errors import (  # noqa: F401
    AccountError,
    PendingSuggestions,
    ReopenError,
    ResponseLocked,
    ReviewError,
    RoundError,
    StoreError,
)
from survey.store.invitations import (  # noqa: F401
    active_invitation_codes,
    add_invitation,
    hash_token,
    invitation_by_hash,
    invitations,
    issue_invitation,
    issue_links,
    new_token,
    revoke_invitation,
    revoke_invitations,
)
from survey.store.logins import (  # noqa: F401
    LoginReservation,
    end_sessions,
    login_succeeded,
    prune_login_attempts,
    recent_failures,
    record_login,
    reserve_login,
)
from survey.store.maintenance import (  # noqa: F401
    BackupInfo,
    MaintenanceError,
    ServingLock,
    applied_migrations,
    backup,
    integrity_check,
    is_served,
    known_migrations,
    restore,
    table_counts,
    unknown_migrations,
)
from survey.store.organisations import (  # noqa: F401
    DATA_DIR,
    counties,
    county,
    load_organisations,
    municipalities,
    municipality,
)
from survey.store.questionnaires import (  # noqa: F401
    latest_questionnaire,
    newest_questionnaire,
    pinned_questionnaire,
    questionnaire_ids,
    questionnaire_source,
    round_questionnaire,
    store_questionnaire,
)
from survey.store.queue import (  # noqa: F401
    QUEUE_STATUSES,
    AnswerLabels,
    QueueFilter,
    decisions_for_round,
    queue,
    queue_conditions,
    review_labels,
    review_summary,
)
from survey.store.reopening import (  # noqa: F401
    record_submission,
    reopen,
)
from survey.store.report_rows import (  # noqa: F401
    CODE_COLUMNS,
    submitted_answers,
    submitted_codes,
)
from survey.store.responses import (  # noqa: F401
    Conflict,
    SaveResult,
    answer_rows,
    answer_update_times,
    answers,
    answers_for_round,
    clean_text,
    ensure_response,
    get_response,
    history,
    response_by_id,
    responses_for_round,
    save_answers,
    set_status,
)
from survey.store.rounds import (  # noqa: F401
    create_round,
    get_round,
    round_is_open,
    rounds,
)
from survey.store.schema import (  # noqa: F401
    DEMO_APPLICATION_ID,
    accounts_migrations,
    codes_migrations,
    compilation_migrations,
    holds_data,
    init,
    is_demo,
    mark_as_demo,
    migrate,
    migration_sets,
    migrations,
)
from survey.store.stats import (  # noqa: F401
    STAT_COLUMNS,
    health,
    round_stats,
)
from survey.store.thresholds import (  # noqa: F401
    Band,
    set_threshold,
    status_for_codebook,
    threshold_rows,
    thresholds,
)
from survey.store.users import (  # noqa: F401
    ADMIN,
    COUNTY_COORDINATOR,
    NATIONAL_COORDINATOR,
    ROLES,
    create_user,
    get_user,
    rehash_password,
    set_active,
    set_password,
    user_by_email,
    users,
)
