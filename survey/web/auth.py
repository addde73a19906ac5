"""Coordinator accounts: argon2 password hashes, Flask-Login sessions, roles, login limits.

A county coordinator sees one county; the national coordinator and administrators see all
counties; only administrators manage accounts. Sessions carry the account's epoch, so
deactivating an account or changing its password ends every session it had.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, request
from flask_login import LoginManager, current_user, user_logged_out

from survey import store
from survey.services.passwords import hash_password, password_hasher, verify_password
from survey.web.db import get_db

login_manager = LoginManager()

# Failed logins allowed per account and per address within the window before refusing.
LOGIN_LIMITS = {"LOGIN_MAX_FAILURES_ACCOUNT": 5, "LOGIN_MAX_FAILURES_IP": 20,
                "LOGIN_WINDOW_MINUTES": 15}


@dataclass
class User:
    """The logged-in coordinator, as Flask-Login wants it."""

    id: int
    email: str
    name: str
    role: str
    county_code: str | None
    active: bool
    session_epoch: int

    @classmethod
    def from_row(cls, row: dict) -> User:
        return cls(row["id"], row["email"], row["name"], row["role"], row["county_code"],
                   bool(row["active"]), row["session_epoch"])

    # Flask-Login's interface
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}.{self.session_epoch}"

    # Roles
    @property
    def is_admin(self) -> bool:
        return self.role == store.ADMIN

    @property
    def sees_all(self) -> bool:
        return self.role in (store.NATIONAL_COORDINATOR, store.ADMIN)

    @property
    def scope(self) -> str | None:
        """The county this account is limited to, or None for all counties."""
        return None if self.sees_all else self.county_code

    def may_see_county(self, county_code: str | None) -> bool:
        return self.sees_all or (county_code is not None and county_code == self.county_code)

    def may_see_municipality(self, municipality_code: str) -> bool:
        if self.sees_all:
            return True
        municipality = store.municipality(get_db(), municipality_code)
        return municipality is not None and municipality["county_code"] == self.county_code

    @property
    def actor(self) -> str:
        """How this person appears in histories and the audit log."""
        return f"{self.name} ({self.email})"


def load_user(user_id: str) -> User | None:
    identifier, _, epoch = user_id.partition(".")
    if not identifier.isdigit() or not epoch.isdigit():
        return None
    row = store.get_user(get_db(), int(identifier))
    if row is None or not row["active"] or row["session_epoch"] != int(epoch):
        return None
    return User.from_row(row)


def current() -> User | None:
    return current_user if getattr(current_user, "is_authenticated", False) else None


def county_scope() -> str | None:
    """The county a coordinator's page shows: their own, or ?lan= (any county, or all when
    absent) for those who see all. Another county is a 403, an unknown one a 404."""
    from flask import abort, request


    user = current()
    wanted = request.values.get("lan") or None
    if wanted and store.county(get_db(), wanted) is None:
        abort(404)
    if user.sees_all:
        return wanted
    if wanted and wanted != user.county_code:
        abort(403)
    return user.county_code


def roles_required(*roles: str) -> Callable:
    """Views only some roles may use; anyone else logged in gets 403."""
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def coordinator_may_open(round_id: str, municipality_code: str, write: bool) -> bool:
    """Coordinators read the responses of their area; they never change a municipality's
    answers through the respondent pages (any non-GET counts as a write)."""
    user = current()
    if user is None:
        return False
    if write or request.method not in ("GET", "HEAD"):
        return False
    return user.may_see_municipality(municipality_code)


# ---------------------------------------------------------------- login limits


@dataclass
class LoginResult:
    user: User | None
    limited: bool = False


def client_ip() -> str:
    return request.remote_addr or "unknown"


def attempt_login(email: str, password: str) -> LoginResult:
    """Check a password unless too many recent failures.

    The attempt is reserved (counted as a failure) before argon2 runs, atomically with the
    count (``store.reserve_login``), so parallel requests cannot pass the limits.

    ``LOGIN_MAX_FAILURES_ACCOUNT``: failures for one e-mail, from any address, since its
    last success; then that account is refused without a password check.
    ``LOGIN_MAX_FAILURES_IP``: failures from one address in the window; above it a failure
    from that address answers 429 and an e-mail that already failed from there is refused
    unchecked, but an account that has not failed from there is still checked. A flood of
    junk e-mails from one address (or from every user behind a proxy) thus never locks out
    a coordinator who knows their password. Known and unknown e-mails cost one argon2
    verification each and get the same answers.
    """
    database = get_db()
    config = current_app.config
    limits = {key: config.get(key, default) for key, default in LOGIN_LIMITS.items()}
    reservation = store.reserve_login(
        database, email, client_ip(), limits["LOGIN_WINDOW_MINUTES"],
        limits["LOGIN_MAX_FAILURES_ACCOUNT"], limits["LOGIN_MAX_FAILURES_IP"])
    if reservation.refused:
        return LoginResult(None, limited=True)
    row = store.user_by_email(database, email)
    ok = verify_password(row["password_hash"] if row else None, password, config)
    if not ok or row is None or not row["active"]:
        return LoginResult(None, limited=reservation.address_limited)
    if password_hasher(config).check_needs_rehash(row["password_hash"]):
        store.rehash_password(database, row["id"], hash_password(password, config))
    store.login_succeeded(database, reservation.attempt_id, email, row["id"])
    return LoginResult(User.from_row(row))


def _end_sessions_on_logout(_sender: Any, user: Any = None, **_extra: Any) -> None:
    """Logging out ends the account's sessions on the server too (the epoch moves on), so a
    copy of the session cookie taken before the logout opens nothing afterwards."""
    if isinstance(user, User):
        store.end_sessions(get_db(), user.id)


def _lazy_current_user() -> dict:
    """Templates get ``current_user`` as Flask-Login's proxy, loaded only if a template reads
    it. Flask-Login's own context processor loads the user (and hashes the address and
    browser for session protection) on every page, the respondents' pages included, which
    never show it; a page that asks still gets the same user, checked the same way."""
    return {"current_user": current_user}


def register(app: Flask) -> None:
    login_manager.init_app(app, add_context_processor=False)
    app.context_processor(_lazy_current_user)
    login_manager.login_view = "coordinate.login"
    login_manager.login_message = None  # the login page says why already
    # "basic": a changed address or browser only marks the session not fresh. "strong" would
    # also rewrite every municipality's (login-less) session and clear a remember-me cookie
    # on each response; sessions end instead through the account's epoch.
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    user_logged_out.connect(_end_sessions_on_logout, app)
