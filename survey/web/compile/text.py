"""Texts of the compilation pages: the ``compile`` gettext domain
(translations/{sv,en}/LC_MESSAGES/compile.po), Swedish first and English second, kept apart
from the other areas' catalogues so each area changes independently.
"""

from __future__ import annotations

from survey import store
from survey.services import compilation
from survey.web.db import get_db
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
    area = _area_label(entry.get("round_id"), after.get("area")) or xt("area_overall")
    if entry.get("county_code") is None and entry["action"].startswith("assessment"):
        area = f"{area}, {xt('area_national')}"
    return xt(key, area=area)


def _area_label(round_id: str | None, area: str | None) -> str | None:
    """The area's name in the round's questionnaire ("Våld i nära relationer …"), not its id."""
    if not area:
        return None
    round_row = store.get_round(get_db(), round_id) if round_id else None
    if round_row is None:
        return area
    return dict(compilation.area_labels(get_db(), round_row)).get(area, area)
