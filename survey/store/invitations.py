"""Invitation links: only the hash of a token is stored, and a link can be revoked.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlite_utils

from survey.store.audit import record_audit
from survey.store.connection import now, transaction


def new_token() -> tuple[str, str]:
    """A secret link token (256 random bits) and the hash that is all we store."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_invitation(db: sqlite_utils.Database, round_id: str, municipality_code: str,
                   token_hash: str) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO invitations (round_id, municipality_code, token_hash, created_at) "
            "VALUES (?, ?, ?, ?)", [round_id, municipality_code, token_hash, now()])


def invitation_by_hash(db: sqlite_utils.Database, token_hash: str) -> dict | None:
    return next(db.query(
        "SELECT * FROM invitations WHERE token_hash = ? AND revoked_at IS NULL",
        [token_hash]), None)


def revoke_invitations(db: sqlite_utils.Database, round_id: str, municipality_code: str) -> int:
    with transaction(db):
        cursor = db.execute(
            "UPDATE invitations SET revoked_at = ? WHERE round_id = ? AND "
            "municipality_code = ? AND revoked_at IS NULL", [now(), round_id, municipality_code])
    return cursor.rowcount




def issue_invitation(db: sqlite_utils.Database, round_id: str, municipality_code: str,
                     token_hash: str, actor: str | None) -> int:
    """A new link for a municipality; any earlier link of the round stops working.

    Returns how many earlier links were revoked (0 for a first invitation).
    """
    with transaction(db):
        stamp = now()
        revoked = db.execute(
            "UPDATE invitations SET revoked_at = ? WHERE round_id = ? AND municipality_code = ? "
            "AND revoked_at IS NULL", [stamp, round_id, municipality_code]).rowcount
        cursor = db.execute(
            "INSERT INTO invitations (round_id, municipality_code, token_hash, created_at) "
            "VALUES (?, ?, ?, ?)", [round_id, municipality_code, token_hash, stamp])
        record_audit(db, actor, "invitation_reissued" if revoked else "invitation_issued",
               "invitation", cursor.lastrowid, round_id=round_id,
               municipality_code=municipality_code,
               before={"active_links": revoked}, after={"active_links": 1})
    return revoked


def revoke_invitation(db: sqlite_utils.Database, round_id: str, municipality_code: str,
                      actor: str | None) -> int:
    with transaction(db):
        revoked = db.execute(
            "UPDATE invitations SET revoked_at = ? WHERE round_id = ? AND municipality_code = ? "
            "AND revoked_at IS NULL", [now(), round_id, municipality_code]).rowcount
        if revoked:
            record_audit(db, actor, "invitation_revoked", "invitation", None, round_id=round_id,
                   municipality_code=municipality_code, before={"active_links": revoked},
                   after={"active_links": 0})
    return revoked


def active_invitation_codes(db: sqlite_utils.Database, round_id: str) -> set[str]:
    return {row["municipality_code"] for row in db.query(
        "SELECT DISTINCT municipality_code FROM invitations WHERE round_id = ? "
        "AND revoked_at IS NULL", [round_id])}


def invitations(db: sqlite_utils.Database, round_id: str, municipality_code: str) -> list[dict]:
    """The invitation history of one municipality (never the token: only its hash exists)."""
    return list(db.query(
        "SELECT id, created_at, revoked_at FROM invitations WHERE round_id = ? "
        "AND municipality_code = ? ORDER BY id", [round_id, municipality_code]))


def issue_links(db: sqlite_utils.Database, round_id: str, municipalities: list[dict],
                actor: str | None, only_new: bool = False) -> list[tuple[dict, str]]:
    """A fresh secret link for each municipality; returns (municipality, token) pairs.

    The token exists only in the return value (the caller shows or prints it once); the
    database keeps its hash. With ``only_new``, municipalities that already have a working
    link keep it and are left out.
    """
    skip = active_invitation_codes(db, round_id) if only_new else set()
    issued = []
    for municipality in municipalities:
        if municipality["code"] in skip:
            continue
        token, token_hash = new_token()
        issue_invitation(db, round_id, municipality["code"], token_hash, actor)
        issued.append((municipality, token))
    return issued
