"""Texts of the coordinator pages: the ``coordinate`` gettext domain (translations/*/LC_MESSAGES/
coordinate.po), kept apart from the respondent catalogue so the two areas change independently.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from flask_babel import force_locale

from survey.web.i18n import LANGUAGES, Catalogue

CATALOGUE = Catalogue("coordinate")


def ct(key: str, **values: object) -> str:
    return CATALOGUE.text(key, **values)


class _ByLanguage(Mapping):
    """The catalogue as {key: {"sv": text, "en": text}}, read-only, for callers that still take
    a message in both languages (survey.web.errors.render_error)."""

    def __getitem__(self, key: str) -> dict[str, str]:
        if key not in CATALOGUE:
            raise KeyError(key)
        texts = {}
        for lang in LANGUAGES:
            with force_locale(lang):
                texts[lang] = ct(key)
        return texts

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(CATALOGUE.keys()))

    def __len__(self) -> int:
        return len(CATALOGUE.keys())


TEXT: Mapping[str, dict[str, str]] = _ByLanguage()
