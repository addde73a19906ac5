"""What one answer card in the review workspace shows, as plain data for the template.

The answer text is cut into pieces at every evidence boundary, so each piece knows which
themes' evidence covers it; the template marks covered pieces with <mark> and an underline and
writes the theme's name in brackets after each evidence span, so the highlight never relies
on colour alone. Every piece carries its character offset (``data-o``), which is how the
browser turns a text selection back into offsets of the stored answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from coding.personal_data import scan
from survey import store
from survey.web.i18n import language, number
from survey.web.review.text import rt

PENDING = (store.TO_REVIEW,)
_SOURCES = {"source_rule", "source_model", "source_rule+model", "source_human"}
NOT_PRESENT = (store.REJECTED, store.AUTO_REJECTED, store.REMOVED)


@dataclass
class Piece:
    text: str
    start: int
    marked: bool = False
    faded: bool = False  # only rejected or negated evidence covers it
    labels: list[str] = field(default_factory=list)  # bracketed theme names ending here


@dataclass
class Span:
    start: int
    end: int
    label: str
    present: bool  # suggested, accepted or added (not rejected, not negated)


def pieces(text: str, spans: list[Span]) -> list[Piece]:
    """Cut ``text`` at every span boundary; spans outside the text are ignored."""
    usable = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    bounds = sorted({0, len(text), *(s.start for s in usable), *(s.end for s in usable)})
    result = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        covering = [s for s in usable if s.start <= a and s.end >= b]
        ending = [s for s in usable if s.end == b]
        result.append(Piece(text[a:b], a, bool(covering),
                            bool(covering) and not any(s.present for s in covering),
                            [s.label for s in sorted(ending, key=lambda s: s.start)]))
    if not result:
        result.append(Piece(text, 0))
    return result


def theme_labels(book: Any) -> dict[str, str]:
    return {theme.id: theme.label_for(language()) for theme in book.themes}


DIRECTIONS = ("increase", "decrease", "unchanged", "present", "denied")


def _direction(code: dict) -> str | None:
    """The code's direction in words ("ökning"), None for codes stored without one."""
    direction = code.get("direction")
    return rt(f"direction_{direction}") if direction in DIRECTIONS else None


def _code_view(code: dict, label: str, status: str) -> dict:
    present = status not in NOT_PRESENT and not code.get("negated")
    if status in (store.ACCEPTED, store.ADDED):
        keys = ["remove"] if code["source"] == store.HUMAN_SOURCE else ["reject"]
    elif status == store.REJECTED:
        keys = ["accept"]
    elif status == store.REMOVED:
        keys = []
    else:
        keys = ["accept", "reject"]
    source = rt(f"source_{code['source']}") if f"source_{code['source']}" in _SOURCES \
        else code["source"]
    return {
        "id": code["id"], "theme": code["code"], "label": label, "status": status,
        "status_text": rt(f"status_{status}"), "pending": status in PENDING,
        "present": present, "negated": bool(code.get("negated")),
        "score": number(code.get("score"), 2), "source": source,
        "direction": code.get("direction"), "direction_text": _direction(code),
        "machine": code["source"] != store.HUMAN_SOURCE,
        "model_version": code.get("model_version"), "actions": keys,
        "evidence": code.get("evidence"), "decided_by": code.get("decided_by"),
        "decided_at": code.get("decided_at"), "start": code.get("start"),
        "end": code.get("end"),
    }


def _bracket(view: dict) -> str:
    if view["direction_text"] and view["direction"] != "present" and view["status"] \
            not in (store.REJECTED, store.REMOVED):
        return f"[{view['label']} – {view['direction_text']}]"
    if view["negated"]:
        return f"[{view['label']} – {rt('negated_note')}]"
    if not view["present"]:
        return f"[{view['label']} – {view['status_text'].split(',')[0].lower()}]"
    return f"[{view['label']}]"


def build_card(db: sqlite_utils.Database, answer: dict, question_label: str, book: Any,
               mode: str = store.PRIMARY, user_id: int | None = None) -> dict:
    """The card of one answer: text pieces, suggestions with their actions, add choices.

    ``answer`` has response_id, question, text, municipality_name and codebook. In blind
    mode only the auto-coder's suggestions are shown, with this coder's own judgments (never
    another person's decisions).
    """
    labels = theme_labels(book)
    codes = store.codes_for_answer(db, answer["response_id"], answer["question"])
    if mode == store.BLIND:
        mine = store.blind_labels(db, answer["response_id"], answer["question"], user_id)
        views = _blind_views(codes, mine, labels)
        done = store.is_done(db, answer["response_id"], answer["question"],
                                store.BLIND, user_id)
    else:
        views = _primary_views(codes, labels)
        done = store.is_done(db, answer["response_id"], answer["question"])
    text = answer["text"]
    present = {v["theme"] for v in views if v["present"] and not v["pending"]
               and v["status"] in (store.ACCEPTED, store.ADDED)}
    return {
        "dom_id": f"a-{answer['response_id']}-{answer['question']}",
        "response_id": answer["response_id"], "question": answer["question"],
        "question_label": question_label, "municipality": answer["municipality_name"],
        "codebook": book.name, "text": text, "pieces": pieces(text, _spans(views, text)),
        "codes": views, "pending": sum(1 for v in views if v["pending"]), "done": done,
        "mode": mode,
        "personal_data": sorted({f.kind for f in scan(text)}),
        "add_choices": [(t, label) for t, label in labels.items() if t not in present],
    }


def _primary_views(codes: list[dict], labels: dict[str, str]) -> list[dict]:
    """The primary review: every code but the removed ones, with its decided status."""
    return [_code_view(code, labels.get(code["code"], code["code"]), code["status"])
            for code in codes if code["status"] != store.REMOVED]


def _blind_views(codes: list[dict], mine: dict[str, dict], labels: dict[str, str]
                 ) -> list[dict]:
    """Blind coding: the auto-coder's suggestions with this coder's own judgments (never
    another person's decisions), then the themes this coder added."""
    views = [_code_view({**code, "decided_by": None, "decided_at": None},
                        labels.get(code["code"], code["code"]), _blind_status(code, mine))
             for code in codes if code["source"] != store.HUMAN_SOURCE]
    machine = {v["theme"] for v in views}
    for theme, row in mine.items():
        if theme in machine or not row["present"]:
            continue
        views.append(_code_view(
            {"id": None, "code": theme, "source": store.HUMAN_SOURCE, "score": None,
             "negated": 0, "start": row["start"], "end": row["end"], "evidence": None,
             "model_version": row["model_version"]}, labels.get(theme, theme),
            store.ADDED))
    return views


def _blind_status(code: dict, mine: dict[str, dict]) -> str:
    judged = mine.get(code["code"])
    if judged is None:
        return code["auto_status"] or store.TO_REVIEW
    return store.ACCEPTED if judged["present"] else store.REJECTED


def _spans(views: list[dict], text: str) -> list[Span]:
    """One span per code; a code without offsets covers the whole answer."""
    spans = []
    for view in views:
        start, end = view["start"], view["end"]
        if start is None or end is None:
            start, end = 0, len(text)
        spans.append(Span(start, end, _bracket(view), view["present"]))
    return spans
