"""Texts of the compilation pages: the ``compile`` gettext domain
(translations/{sv,en}/LC_MESSAGES/compile.po), Swedish first and English second, kept apart
from the other areas' catalogues so each area changes independently.
"""

from __future__ import annotations

from survey.web.i18n import Catalogue

CATALOGUE = Catalogue("compile")


def xt(key: str, **values: object) -> str:
    return CATALOGUE.text(key, **values)


def action_text(entry: dict) -> str | None:
    """The audit log's words for this area's actions; None for anyone else's."""
    key = f"action_{entry['action']}"
    if key not in CATALOGUE:
        return None
    after = entry.get("after") if isinstance(entry.get("after"), dict) else {}
    area = after.get("area") or xt("area_overall")
    if entry.get("county_code") is None and entry["action"].startswith("assessment"):
        area = f"{area}, {xt('area_national')}"
    return xt(key, area=area)
