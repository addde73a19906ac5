"""The schema as ordered, named migrations (sqlite-utils), core first, then each area's set.

Names are a contract with every database in use: never rename or reorder a migration.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

from survey.store.organisations import load_organisations

migrations = Migrations("lagesbild")
accounts_migrations = Migrations("lagesbild-accounts")
codes_migrations = Migrations("lagesbild-codes")
compilation_migrations = Migrations("lagesbild-compilation")
jobs_migrations = Migrations("lagesbild-jobs")




@migrations(name="m001_initial")
def _m001_initial(db: sqlite_utils.Database) -> None:
    _run_statements(db, """
        CREATE TABLE counties (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, name_short TEXT NOT NULL);
        CREATE TABLE municipalities (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, name_short TEXT NOT NULL,
            county_code TEXT NOT NULL REFERENCES counties(code));
        CREATE TABLE questionnaire_versions (
            hash TEXT PRIMARY KEY, questionnaire_id TEXT NOT NULL, version TEXT NOT NULL,
            source TEXT NOT NULL, loaded_at TEXT NOT NULL);
        CREATE TABLE rounds (
            id TEXT PRIMARY KEY, title TEXT NOT NULL,
            questionnaire_hash TEXT NOT NULL REFERENCES questionnaire_versions(hash),
            opens_on TEXT NOT NULL, closes_on TEXT NOT NULL,
            follows TEXT REFERENCES rounds(id), created_at TEXT NOT NULL);
        CREATE TABLE responses (
            id INTEGER PRIMARY KEY,
            round_id TEXT NOT NULL REFERENCES rounds(id),
            municipality_code TEXT NOT NULL REFERENCES municipalities(code),
            status TEXT NOT NULL DEFAULT 'draft',
            revision INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT,
            submitted_at TEXT, submitted_by TEXT,
            UNIQUE (round_id, municipality_code));
        CREATE TABLE answers (
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL, value TEXT NOT NULL,
            revision INTEGER NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT,
            PRIMARY KEY (response_id, question));
        CREATE TABLE answer_history (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL, old_value TEXT, new_value TEXT,
            changed_at TEXT NOT NULL, changed_by TEXT);
        CREATE INDEX answer_history_response ON answer_history(response_id, question);
        CREATE TABLE invitations (
            id INTEGER PRIMARY KEY,
            round_id TEXT NOT NULL REFERENCES rounds(id),
            municipality_code TEXT NOT NULL REFERENCES municipalities(code),
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL, revoked_at TEXT);
        """)


def _run_statements(db: sqlite_utils.Database, script: str) -> None:
    # Statement by statement (not executescript, which commits) so a migration stays atomic.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations(name="m002_history_kind_and_last_page")
def _m002_history_kind(db: sqlite_utils.Database) -> None:
    # 'change' for an applied edit, 'conflict' for a save that lost an optimistic-lock race
    # (kept so that nothing typed is ever lost).
    db.execute("ALTER TABLE answer_history ADD COLUMN kind TEXT NOT NULL DEFAULT 'change'")
    db.execute("ALTER TABLE responses ADD COLUMN last_page TEXT")


@migrations(name="m003_history_revision")
def _m003_history_revision(db: sqlite_utils.Database) -> None:
    # The response revision a history row was written at, so that a cleared answer (its row
    # in `answers` is gone) still conflicts with a form opened before it was cleared.
    db.execute("ALTER TABLE answer_history ADD COLUMN revision INTEGER")


@migrations(name="m004_carried_over")
def _m004_carried_over(db: sqlite_utils.Database) -> None:
    # An answer taken over from the municipality's response in the round this one follows up:
    # 'carried' until the respondent confirms it ('confirmed') or changes it ('edited').
    _run_statements(db, """
        CREATE TABLE carried_over (
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL,
            from_response_id INTEGER NOT NULL REFERENCES responses(id),
            state TEXT NOT NULL CHECK (state IN ('carried', 'confirmed', 'edited')),
            carried_at TEXT NOT NULL, carried_by TEXT,
            decided_at TEXT, decided_by TEXT,
            PRIMARY KEY (response_id, question));
        """)


@migrations(name="m005_invitation_lookup")
def _m005_invitation_lookup(db: sqlite_utils.Database) -> None:
    # The dashboard asks three times per municipality for its links in a round; without this
    # every question scanned all invitations (a quarter of a second per round for 290
    # municipalities, while respondents were saving).
    db.execute("CREATE INDEX invitations_round ON invitations(round_id, municipality_code)")




@accounts_migrations(name="a001_users")
def _a001_users(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN
                ('county_coordinator', 'national_coordinator', 'admin')),
            county_code TEXT REFERENCES counties(code),
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            session_epoch INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            last_login_at TEXT,
            CHECK (role != 'county_coordinator' OR county_code IS NOT NULL))""")


@accounts_migrations(name="a002_audit_log")
def _a002_audit_log(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT,
            round_id TEXT,
            municipality_code TEXT,
            county_code TEXT,
            before TEXT,
            after TEXT)""")
    db.execute("CREATE INDEX audit_log_scope ON audit_log(county_code, round_id)")
    db.execute("CREATE INDEX audit_log_at ON audit_log(at)")


@accounts_migrations(name="a003_login_attempts")
def _a003_login_attempts(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE login_attempts (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            email TEXT NOT NULL,
            ip TEXT NOT NULL,
            success INTEGER NOT NULL)""")
    db.execute("CREATE INDEX login_attempts_email ON login_attempts(email, at)")
    db.execute("CREATE INDEX login_attempts_ip ON login_attempts(ip, at)")


@accounts_migrations(name="a004_contacts")
def _a004_contacts(db: sqlite_utils.Database) -> None:
    # Where reminders go when nobody in the municipality has typed an address yet.
    db.execute("""
        CREATE TABLE contacts (
            municipality_code TEXT PRIMARY KEY REFERENCES municipalities(code),
            email TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT)""")


@codes_migrations(name="c001_codes")
def _c001_codes(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL,
            codebook TEXT NOT NULL,
            code TEXT NOT NULL,
            score REAL,
            negated INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL,
            start INTEGER, end INTEGER, evidence TEXT,
            model_version TEXT,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            decided_by TEXT, decided_at TEXT)""")
    db.execute("CREATE INDEX codes_answer ON codes(response_id, question)")
    db.execute("""
        CREATE TABLE code_decisions (
            id INTEGER PRIMARY KEY,
            code_id INTEGER NOT NULL REFERENCES codes(id),
            action TEXT NOT NULL,
            before_status TEXT, after_status TEXT,
            user TEXT, at TEXT NOT NULL, model_version TEXT)""")


@codes_migrations(name="c002_review")
def _c002_review(db: sqlite_utils.Database) -> None:
    # The band an auto-code fell in when it was stored; a decision changes `status` only.
    db.execute("ALTER TABLE codes ADD COLUMN auto_status TEXT")
    db.execute("""
        UPDATE codes SET auto_status = COALESCE(
            (SELECT d.before_status FROM code_decisions d WHERE d.code_id = codes.id
             ORDER BY d.id LIMIT 1), status)
        WHERE source != 'human'""")
    db.execute("""
        CREATE TABLE review_batches (
            id INTEGER PRIMARY KEY,
            round_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            mode TEXT NOT NULL DEFAULT 'primary',
            user_id INTEGER, user TEXT,
            at TEXT NOT NULL,
            undone_at TEXT,
            undo_of INTEGER REFERENCES review_batches(id))""")
    db.execute("CREATE INDEX review_batches_user ON review_batches(user_id, round_id)")
    db.execute("ALTER TABLE code_decisions ADD COLUMN batch_id INTEGER "
               "REFERENCES review_batches(id)")
    db.execute("ALTER TABLE code_decisions ADD COLUMN user_id INTEGER")
    db.execute("ALTER TABLE code_decisions ADD COLUMN undone_at TEXT")
    # [start, end, evidence] before a decision moved a code's span (undo puts it back)
    db.execute("ALTER TABLE code_decisions ADD COLUMN span_before TEXT")
    db.execute("CREATE INDEX code_decisions_code ON code_decisions(code_id)")
    db.execute("CREATE INDEX code_decisions_batch ON code_decisions(batch_id)")
    db.execute("""
        CREATE TABLE answer_reviews (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL,
            codebook TEXT NOT NULL,
            mode TEXT NOT NULL,
            user_id INTEGER, user TEXT,
            at TEXT NOT NULL,
            batch_id INTEGER REFERENCES review_batches(id),
            undone_at TEXT)""")
    db.execute("CREATE INDEX answer_reviews_answer ON answer_reviews(response_id, question)")
    db.execute("""
        CREATE TABLE blind_decisions (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL,
            codebook TEXT NOT NULL,
            code TEXT NOT NULL,
            present INTEGER NOT NULL,
            start INTEGER, end INTEGER,
            user_id INTEGER, user TEXT,
            at TEXT NOT NULL,
            model_version TEXT,
            batch_id INTEGER REFERENCES review_batches(id),
            undone_at TEXT)""")
    db.execute("CREATE INDEX blind_decisions_answer ON blind_decisions(response_id, question)")
    db.execute("""
        CREATE TABLE code_thresholds (
            codebook TEXT NOT NULL,
            code TEXT NOT NULL,
            accept_at REAL,
            reject_below REAL,
            updated_at TEXT NOT NULL,
            updated_by TEXT,
            PRIMARY KEY (codebook, code))""")


@codes_migrations(name="c003_direction")
def _c003_direction(db: sqlite_utils.Database) -> None:
    # Direction of change of an auto-code (issue #10): increase, decrease, unchanged,
    # present or denied; NULL for codes stored before the coder reported it.
    db.execute("ALTER TABLE codes ADD COLUMN direction TEXT")


@compilation_migrations(name="k001_round_report_settings")
def _k001_round_report_settings(db: sqlite_utils.Database) -> None:
    # What the deliverable's cover says and when the counties deliver (issue #11).
    for column in ("reference_number", "addressee", "partners", "county_deadline",
                   "report_due"):
        db.execute(f"ALTER TABLE rounds ADD COLUMN {column} TEXT")


@compilation_migrations(name="k002_compilation")
def _k002_compilation(db: sqlite_utils.Database) -> None:
    # County and national compilation: written assessments (NULL county = national, NULL
    # area = overall) with their history, quote choices, other sources and deliveries.
    _run_statements(db, """
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            round_id TEXT NOT NULL REFERENCES rounds(id),
            county_code TEXT REFERENCES counties(code),
            area TEXT,
            text TEXT NOT NULL,
            revision INTEGER NOT NULL,
            updated_at TEXT NOT NULL, updated_by TEXT);
        CREATE UNIQUE INDEX assessments_scope
            ON assessments(round_id, IFNULL(county_code, ''), IFNULL(area, ''));
        CREATE TABLE assessment_history (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id),
            old_value TEXT, new_value TEXT,
            changed_at TEXT NOT NULL, changed_by TEXT,
            kind TEXT NOT NULL DEFAULT 'change');
        CREATE INDEX assessment_history_assessment ON assessment_history(assessment_id);
        CREATE TABLE quote_choices (
            id INTEGER PRIMARY KEY,
            round_id TEXT NOT NULL REFERENCES rounds(id),
            county_code TEXT NOT NULL REFERENCES counties(code),
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL,
            start INTEGER, end INTEGER, code_id INTEGER,
            included INTEGER NOT NULL,
            area TEXT, theme TEXT, quote TEXT, reason TEXT,
            chosen_at TEXT NOT NULL, chosen_by TEXT);
        CREATE UNIQUE INDEX quote_choices_passage ON quote_choices(
            round_id, county_code, response_id, question, IFNULL(start, -1), IFNULL(end, -1));
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            round_id TEXT NOT NULL REFERENCES rounds(id),
            county_code TEXT NOT NULL REFERENCES counties(code),
            date TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, summary TEXT NOT NULL,
            added_at TEXT NOT NULL, added_by TEXT);
        CREATE INDEX sources_scope ON sources(round_id, county_code);
        CREATE TABLE deliveries (
            round_id TEXT NOT NULL REFERENCES rounds(id),
            county_code TEXT NOT NULL REFERENCES counties(code),
            status TEXT NOT NULL CHECK (status IN ('delivered', 'sent_back')),
            delivered_at TEXT NOT NULL, delivered_by TEXT,
            sent_back_at TEXT, sent_back_by TEXT, reason TEXT,
            PRIMARY KEY (round_id, county_code));
        """)


@jobs_migrations(name="j001_jobs")
def _j001_jobs(db: sqlite_utils.Database) -> None:
    # Background jobs (issue #12): report files and retraining, with their stage, file and
    # requester; huey's own storage holds the queue.
    _run_statements(db, """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL,
            round_id TEXT NOT NULL, county_code TEXT, fmt TEXT, codebook TEXT,
            revision TEXT, status TEXT NOT NULL, stage TEXT, file TEXT, error TEXT,
            task_id TEXT, worker TEXT, heartbeat_at TEXT,
            requested_by INTEGER, requested_by_actor TEXT,
            created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT);
        CREATE INDEX jobs_key ON jobs(key, status);
        CREATE INDEX jobs_round ON jobs(round_id, kind);
        """)


def migration_sets() -> list[Migrations]:
    """Core first, then each area's own ordered set (their tables reference core's)."""
    return [migrations, accounts_migrations, codes_migrations, compilation_migrations,
            jobs_migrations]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations of every set; return the names applied."""
    applied = []
    for migration_set in migration_sets():
        applied += [m.name for m in migration_set.pending(db)]
        migration_set.apply(db)
    return applied


def init(db: sqlite_utils.Database) -> list[str]:
    applied = migrate(db)
    load_organisations(db)
    return applied


# A demo database says so in its header (PRAGMA application_id), so `lagesbild demo` can
# rebuild its own database freely and refuse to delete one that holds real answers.
DEMO_APPLICATION_ID = 0x4C414744  # "LAGD"


def mark_as_demo(db: sqlite_utils.Database) -> None:
    db.execute(f"PRAGMA application_id = {DEMO_APPLICATION_ID}")


def is_demo(db: sqlite_utils.Database) -> bool:
    return db.execute("PRAGMA application_id").fetchone()[0] == DEMO_APPLICATION_ID


def holds_data(db: sqlite_utils.Database) -> bool:
    """Anything a person could have made: rounds, responses or accounts."""
    return any(name in db.table_names() and db[name].count
               for name in ("rounds", "responses", "users"))

