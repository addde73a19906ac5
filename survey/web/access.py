"""Who may open which response: invitation links now, coordinators' roles added on top.

A municipality's link grants its browser session access to that one response; nothing in
the URL alone is enough, so guessing a municipality code gets a 403.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import g, session

from survey import store
from survey.web.db import get_db

GRANTS_KEY = "grants"
# Later modules (coordinator roles) append checks: (round_id, municipality_code, write) -> bool
extra_checks: list[Callable[[str, str, bool], bool]] = []



def grant(token_hash: str) -> None:
    """Remember in the browser session that this link was opened (the hash, not the token)."""
    grants = set(session.get(GRANTS_KEY, []))
    grants.add(token_hash)
    session[GRANTS_KEY] = sorted(grants)


def granted() -> list[dict]:
    """The invitations this session holds that are still valid (revoking one ends access).

    Looked up once per request (a page view asks twice: may it read, may it write), kept on
    ``g`` with the grants it was looked up for, so a grant added meanwhile is seen. A link
    revoked while a request runs counts from the next request on.
    """
    hashes = tuple(session.get(GRANTS_KEY, []))
    kept = g.get("access_granted")
    if kept is None or kept[0] != hashes:
        database = get_db()
        found = (store.invitation_by_hash(database, h) for h in hashes)
        kept = g.access_granted = (hashes, [invitation for invitation in found if invitation])
    return list(kept[1])


def municipality_may(round_id: str, municipality_code: str) -> bool:
    return any(i["round_id"] == round_id and i["municipality_code"] == municipality_code
               for i in granted())


def may_open(round_id: str, municipality_code: str, write: bool = False) -> bool:
    if municipality_may(round_id, municipality_code):
        return True
    return any(check(round_id, municipality_code, write) for check in extra_checks)
