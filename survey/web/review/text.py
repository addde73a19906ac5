"""Texts of the review workspace: the ``review`` gettext domain (translations/*/LC_MESSAGES/
review.po), beside the coordinator catalogue so the areas change independently.
"""

from __future__ import annotations

from survey.store.errors import StoreError
from survey.web.i18n import Catalogue

CATALOGUE = Catalogue("review")


def rt(key: str, **values: object) -> str:
    return CATALOGUE.text(key, **values)


def error_text(error: StoreError) -> str:
    """The workspace's words for a refusal of the store, by its code."""
    key = f"error_{error.code}"
    return rt(key, **error.params) if key in CATALOGUE else str(error)
