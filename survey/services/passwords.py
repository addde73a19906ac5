"""Coordinators' passwords: argon2id hashes, a minimum length, and the demo accounts.

Shared by the web (login, password change) and the CLI (`lagesbild user add`).
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from survey import store

MIN_PASSWORD_LENGTH = 12


def password_hasher(config: dict | None = None) -> PasswordHasher:
    """argon2id with RFC 9106 parameters; ``ARGON2_PROFILE = "CHEAPEST"`` only for tests."""
    name = (config or {}).get("ARGON2_PROFILE") or "RFC_9106_LOW_MEMORY"
    return PasswordHasher.from_parameters(getattr(profiles, name))


def hash_password(password: str, config: dict | None = None) -> str:
    return password_hasher(config).hash(password)


def check_password_strength(password: str) -> str | None:
    """None when acceptable, else a Swedish explanation."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken."
    return None


# A hash to verify against when the account does not exist, so timing does not reveal it:
# computed once per parameter set (a hash per call would make unknown e-mails cost a hash
# *and* a verification, twice a known account's single verification).
_DUMMY_HASH: dict[tuple, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len,
           hasher.salt_len, hasher.type)
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hasher.hash("not a password")
    return _DUMMY_HASH[key]


def verify_password(stored_hash: str | None, password: str, config: dict | None = None
                    ) -> bool:
    hasher = password_hasher(config)
    if stored_hash is None:
        stored_hash = _dummy_hash(hasher)
        password = password + "x"
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


DEMO_ACCOUNTS = (
    ("nationell@lansstyrelsen-halland.example", "Nationell samordnare, Länsstyrelsen i "
     "Hallands län", "national_coordinator", None),
    ("halland@lansstyrelsen-halland.example", "Länssamordnare Halland", "county_coordinator",
     "13"),
    ("blekinge@lansstyrelsen-blekinge.example", "Länssamordnare Blekinge",
     "county_coordinator", "10"),
    ("admin@lagesbild.example", "Administratör", "admin", None),
)


def create_demo_accounts(db, config: dict | None = None) -> list[dict]:
    """Accounts for `lagesbild demo`, each with a fresh random password to print once.

    Returns dicts with email, name, role, county_code and password. Random rather than fixed
    passwords, so a demo database that ends up on a server is not open to anyone.
    """
    created = []
    for email, name, role, county_code in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        store.create_user(db, email, name, role, county_code,
                             hash_password(password, config), "demo")
        created.append({"email": email, "name": name, "role": role,
                        "county_code": county_code, "password": password})
    return created
