"""Typed errors of the store: a stable code and parameters, never user-facing text.

The web layer and the CLI turn a code into words in the user's language (the web through its
gettext catalogues), so the store can be used from any front end and tested by code.
"""

from __future__ import annotations

from typing import Any


class StoreError(ValueError):
    """A change the store refused; ``code`` names why, ``params`` carry the details."""

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(detail or code)
        self.code = code
        self.params = params


class RoundError(StoreError):
    """A round could not be created (duplicate id, unknown version, wrong dates...)."""


class ReopenError(StoreError):
    """A response could not be reopened."""


class AccountError(StoreError):
    """An account could not be created or changed."""


class ReviewError(StoreError):
    """A review decision was refused."""


class PendingSuggestions(ReviewError):
    """An answer cannot be marked done while suggestions in the review band remain."""


class ResponseLocked(StoreError):
    """The response cannot be changed: submitted, or its round is closed."""
