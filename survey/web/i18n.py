"""User-interface texts in Swedish first, English second, through gettext (Flask-Babel).

The catalogues are the .po files in translations/{sv,en}/LC_MESSAGES/, one gettext domain per
area so the areas change independently: ``messages`` (the respondent pages and error pages,
:func:`t`), ``coordinate`` (:func:`survey.web.coordinate.text.ct`) and ``review``
(:func:`survey.web.review.text.rt`). Msgids are symbolic keys ("answered_x_of_y"); the
translations use str.format placeholders. The .mo files are built by ``make install``, never
committed; translations/README.md says how to add a message.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale, support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, parse_pattern
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel, get_locale, refresh

from survey.questionnaire import display

TRANSLATIONS = Path(__file__).with_name("translations")
LANGUAGES = ("sv", "en")
DOMAINS = ("messages", "coordinate", "review", "jobs")

babel = Babel()


class Catalogue:
    """One area's messages: gettext of its domain, then the str.format placeholders.

    The compiled catalogue of each locale is read once per process (Flask-Babel's Domain
    would look it up afresh on every call, a page asks for a dozen texts), and follows the
    request's locale, including ``force_locale``.
    """

    def __init__(self, domain: str):
        self.name = domain
        self._translations: dict[Locale | None, support.NullTranslations] = {}

    def text(self, key: str, **values: object) -> str:
        return self._text(self.translations(), key, values)

    def text_in(self, lang: str, key: str, **values: object) -> str:
        """The text in a language named here rather than the request's."""
        return self._text(self.translations(Locale.parse(lang)), key, values)

    def translations(self, locale: Locale | None = None) -> support.NullTranslations:
        """The catalogue of this domain in ``locale``, by default the current one (none
        outside an application context: the keys themselves, as Flask-Babel does)."""
        if locale is None:
            locale = get_locale()
        translations = self._translations.get(locale)
        if translations is None:
            translations = self._translations[locale] = (
                support.Translations.load(str(TRANSLATIONS), [locale], self.name)
                if locale is not None else support.NullTranslations())
        return translations

    def bound(self):
        """``text`` with the locale chosen now, for one template rendering."""
        translations = self.translations()

        def text(key: str, **values: object) -> str:
            return self._text(translations, key, values)

        return text

    def _text(self, translations: support.NullTranslations, key: str,
              values: dict[str, object]) -> str:
        if key not in msgids(self.name):
            raise KeyError(f"{key!r} is not in the {self.name!r} catalogue")
        text = translations.ugettext(key)
        return text.format(**values) if values else text

    def keys(self) -> frozenset[str]:
        return msgids(self.name)

    def __contains__(self, key: object) -> bool:
        return key in self.keys()


@lru_cache
def msgids(domain: str) -> frozenset[str]:
    """The keys of a domain, read from the Swedish source catalogue."""
    return frozenset(message.id for message in read_po_file(po_path("sv", domain)) if message.id)


def po_path(lang: str, domain: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po"


def read_po_file(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale=path.parent.parent.name, domain=path.stem)


def compile_catalogues(stale_only: bool = True) -> list[Path]:
    """Write each .mo from its .po (what ``make install`` does with pybabel); by default only
    those missing or older than their .po. Returns the files written."""
    written = []
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if stale_only and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalog = read_po_file(po)
        with mo.open("wb") as f:
            write_mo(f, catalog)
        written.append(mo)
    return written


def _check_compiled() -> None:
    missing = [po_path(lang, domain).with_suffix(".mo") for lang in LANGUAGES
               for domain in DOMAINS if not po_path(lang, domain).with_suffix(".mo").exists()]
    if missing:
        names = ", ".join(str(path.relative_to(TRANSLATIONS)) for path in missing)
        raise RuntimeError(f"The UI text catalogues are not compiled (missing {names} in "
                           f"{TRANSLATIONS}). Run `make install`, which compiles the .po files.")


def language() -> str:
    """The request's language: chosen with ?lang= (kept in the session), else the default.
    Flask-Babel's locale selector."""
    chosen = session.get("lang") if has_request_context() else None
    return chosen if chosen in LANGUAGES else current_app.config["DEFAULT_LANGUAGE"]


MESSAGES = Catalogue("messages")


def t(key: str, **values: object) -> str:
    return MESSAGES.text(key, **values)


#: The number formats' locales, parsed once.
SWEDISH, BRITISH = Locale.parse("sv_SE"), Locale.parse("en_GB")


def _number_locale(lang: str) -> Locale:
    return SWEDISH if lang == "sv" else BRITISH


@lru_cache(maxsize=64)
def _pattern(digits: int, percent_sign: str = "") -> NumberPattern:
    """A number pattern, parsed once: "#,##0", "#,##0.0", "#,##0 %"."""
    return parse_pattern("#,##0" + ("." + "0" * digits if digits else "") + percent_sign)


@lru_cache(maxsize=4096, typed=True)
def _formatted(value: float | int, digits: int, percent_sign: str, lang: str) -> str:
    """Pages show the same counts over and over ("Sida 3 av 12"): each is formatted once."""
    return _pattern(digits, percent_sign).apply(value, _number_locale(lang))


def number(value: float | int | None, digits: int = 0) -> str:
    """A count or measure in the reader's format ("4 000", "0,94"); None is a dash, because
    an undefined figure (no rows) must not read as zero."""
    if value is None:
        return "–"
    return _formatted(value, digits, "", language())


def percent(value: float | None, digits: int = 0) -> str:
    """A share 0–1 as a percentage ("25 %", "57,9 %"): one format on every page."""
    if value is None:
        return "–"
    lang = language()
    return _formatted(value, digits, "\u00a0%" if lang == "sv" else "%", lang)


def register(app: Flask) -> None:
    _check_compiled()
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["percent"] = percent
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["DEFAULT_LANGUAGE"])
    babel.init_app(app, locale_selector=language,
                   default_translation_directories=str(TRANSLATIONS))

    @app.before_request
    def choose_language() -> None:
        wanted = request.args.get("lang")
        if wanted in LANGUAGES:
            session["lang"] = wanted
        refresh()  # a request shares g with an outer app context: choose its locale afresh

    @app.context_processor
    def inject() -> dict:
        return {"t": MESSAGES.bound(), "lang": language(), "limit_number": display.limit_number,
                "hint_states_limit": display.hint_states_limit}
