"""The gettext catalogues: both languages complete in every domain, and every key in use exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from survey.web import i18n

WEB = Path(i18n.__file__).parent
CALLS = {"messages": "t", "coordinate": "ct", "review": "rt", "jobs": "jt"}
PLACEHOLDER = re.compile(r"{(\w+)}")


def _catalogue(lang: str, domain: str) -> dict[str, object]:
    return {m.id: m for m in i18n.read_po_file(i18n.po_path(lang, domain)) if m.id}


@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_every_msgid_has_swedish_and_english_with_the_same_placeholders(domain):
    swedish, english = _catalogue("sv", domain), _catalogue("en", domain)
    assert set(swedish) == set(english), domain
    for key in swedish:
        sv, en = swedish[key], english[key]
        assert sv.string and en.string, f"{domain}: {key} lacks a translation"
        assert not sv.fuzzy and not en.fuzzy, f"{domain}: {key} is fuzzy (not compiled)"
        assert sorted(PLACEHOLDER.findall(sv.string)) == sorted(PLACEHOLDER.findall(en.string)), \
            f"{domain}: {key} has different placeholders in Swedish and English"


def test_no_msgid_is_used_without_being_in_its_catalogue():
    sources = [*WEB.rglob("*.py"), *(WEB / "templates").rglob("*.html"),
               *(WEB / "templates").rglob("*.txt")]
    missing = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for domain, call in CALLS.items():
            keys = i18n.msgids(domain)
            for key, after in re.findall(
                    rf"(?<![\w.]){call}\(\s*['\"]([^'\"]+)['\"]\s*(\S)", text):
                # rt('status_' ~ status) names a family of keys: at least one must exist
                known = key in keys if after in ",)" else any(k.startswith(key) for k in keys)
                if not known:
                    missing.append(f"{path.relative_to(WEB)}: {call}({key!r})")
        for key in re.findall(r"\bTEXT\[['\"]([^'\"]+)['\"]\]", text):
            if key not in i18n.msgids("coordinate"):
                missing.append(f"{path.relative_to(WEB)}: TEXT[{key!r}]")
    assert missing == []


def test_the_scan_sees_the_calls_of_every_domain():
    """The scan above sees the calls: hundreds of literal keys, in all three domains."""
    used = set()
    for path in [*WEB.rglob("*.py"), *(WEB / "templates").rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        used |= {call for call in CALLS.values()
                 if re.search(rf"(?<![\w.]){call}\(\s*['\"]", text)}
    assert used == set(CALLS.values())


def test_compiled_catalogues_are_current():
    for lang in i18n.LANGUAGES:
        for domain in i18n.DOMAINS:
            po = i18n.po_path(lang, domain)
            assert po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime, po


def test_text_is_chosen_by_language(app, client):
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Skip to content" in english
    swedish = client.get("/?lang=sv").get_data(as_text=True)
    assert "Hoppa till innehållet" in swedish


def test_a_missing_catalogue_stops_the_start_naming_make_install(app, monkeypatch, tmp_path):
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    monkeypatch.setattr(i18n, "po_path", lambda lang, domain: tmp_path / lang / f"{domain}.po")
    with pytest.raises(RuntimeError, match="make install"):
        i18n.register(app)
