"""Answer text made safe to code, with character offsets kept intact.

Answers come from web forms and spreadsheets: HTML tags and entities are blanked out with
spaces of the same length, so every offset the coder reports still points into the text
the respondent wrote.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger("coding")

#: spaCy's default `nlp.max_length`; longer answers are coded up to this point.
MAX_TEXT_CHARS = 1_000_000
#: Longer sentences are cut to a window around the match when used as evidence.
MAX_EVIDENCE_CHARS = 400

_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[!/]?[A-Za-z][^<>]{0,2000}>|<!--.*?-->", re.DOTALL)
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,10});")


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def clean_text(text: object) -> str:
    """Same-length text with markup blanked; `None` becomes ''; other non-strings raise."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise TypeError(f"answer text must be a string, not {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        log.warning("answer of %d characters coded only up to %d", len(text), MAX_TEXT_CHARS)
        text = text[:MAX_TEXT_CHARS]
    if "<" in text:
        text = _SCRIPT.sub(_blank, text)
        text = _TAG.sub(_blank, text)
    if "&" in text:
        text = _ENTITY.sub(_blank, text)
    return text


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def evidence_span(text: str, start: int, end: int, focus: tuple[int, int] | None = None
                  ) -> tuple[int, int]:
    """Trim a sentence span to its non-space content, and to a window around `focus` (the
    matched words) when the sentence is too long to show."""
    start, end = _strip(text, start, end)
    if end - start <= MAX_EVIDENCE_CHARS:
        return start, end
    centre = (focus[0] + focus[1]) // 2 if focus else start
    lo = max(start, min(centre - MAX_EVIDENCE_CHARS // 2, end - MAX_EVIDENCE_CHARS))
    hi = min(end, lo + MAX_EVIDENCE_CHARS)
    if lo > start:  # snap inwards to word boundaries
        space = text.find(" ", lo, hi)
        lo = space + 1 if space != -1 else lo
    if hi < end:
        space = text.rfind(" ", lo, hi)
        hi = space if space > lo else hi
    return _strip(text, lo, hi)
