"""Declared settings: every configurable value with its default and why it exists.

Settings come from these defaults, then ``instance/config.py``, then environment variables
prefixed ``LAGESBILD_`` (``LAGESBILD_DB=/srv/lb.db``). A test checks that each one is
documented in README.md, so none can be added silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DB", "instance/lagesbild.db", "Path of the SQLite database file."),
    Setting("SECRET_KEY", None, "Signs sessions and CSRF tokens; generated into the instance "
            "folder on first start when not set."),
    Setting("BASE_URL", "http://127.0.0.1:5000", "Public address used in invitation links "
            "and e-mails."),
    Setting("DEFAULT_LANGUAGE", "sv", "Language of the user interface when none is chosen "
            "(sv or en)."),
    Setting("MAX_CONTENT_LENGTH", 1024 * 1024, "Largest accepted request body in bytes."),
    Setting("QUESTIONNAIRE_DIR", None, "Folder of questionnaire YAML files loaded by "
            "`lagesbild init` (default: the packaged questionnaires/ folder)."),
    Setting("SMTP_HOST", "localhost", "SMTP server for reminder e-mails."),
    Setting("SMTP_PORT", 25, "SMTP port."),
    Setting("SMTP_USER", None, "SMTP user name, if the server needs a login."),
    Setting("SMTP_PASSWORD", None, "SMTP password."),
    Setting("SMTP_STARTTLS", False, "Use STARTTLS with the SMTP server."),
    Setting("MAIL_FROM", "lagesbild@localhost", "Sender address of e-mails."),
    Setting("MAIL_OUTBOX", None, "Folder where e-mails are written as .eml files instead of "
            "being sent over SMTP (for the demo and for trying reminders out); the reminders "
            "page lists them."),
    Setting("AUTOCODE_ON_SUBMIT", True, "Auto-code free-text answers when a response is "
            "submitted."),
    Setting("ARGON2_PROFILE", "RFC_9106_LOW_MEMORY", "argon2id parameter profile for "
            "coordinators' passwords (argon2-cffi profile name)."),
    Setting("LOGIN_MAX_FAILURES_ACCOUNT", 5, "Failed logins per account before login is "
            "refused for a while."),
    Setting("LOGIN_MAX_FAILURES_IP", 20, "Failed logins per IP address before login is "
            "refused for a while."),
    Setting("LOGIN_WINDOW_MINUTES", 15, "The window in which failed logins are counted."),
    Setting("MODELS_DIR", None, "Folder of retrained coding models, one sub-folder per "
            "codebook with a `current` pointer (default: instance/models)."),
    Setting("CACHE_DIR", None, "Where the default coding model is built on first use "
            "(default: ~/.cache/lagesbild)."),
    Setting("ACCESSIBILITY_CONTACT", None, "E-mail address for reporting accessibility "
            "problems, shown in the accessibility statement (default: MAIL_FROM)."),
    Setting("JOBS_URL", None, "Queue of background jobs (report files, retraining): None keeps "
            "it in SQLite beside the database (huey's SqliteHuey), redis://host:port/db uses "
            "Redis (RedisHuey) when several servers share the work."),
    Setting("JOBS_WORKERS", 2, "Worker threads that `lagesbild serve` runs for background jobs; "
            "0 leaves them to a separate `lagesbild worker`."),
    Setting("JOBS_IMMEDIATE", None, "Run each background job at once inside the request (tests); "
            "None means only when TESTING is on."),
    Setting("PROXY_COUNT", 0, "Number of reverse proxies in front of the app; set it so that "
            "client addresses (login limits) and HTTPS are read from X-Forwarded-* headers."),
)


def defaults() -> dict[str, Any]:
    return {setting.name: setting.default for setting in SETTINGS}
