"""Short quotes from free-text answers: the sentence around a coded passage.

A report quotes municipalities to make counts concrete; a whole answer would bury the point,
so a quote is the sentence that holds the evidence, cut at a word boundary if it is long.
"""

from __future__ import annotations

import re

MAX_QUOTE = 240
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖÉ0-9\"”«(])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def quote_for(text: str, start: int | None = None, end: int | None = None,
              limit: int = MAX_QUOTE) -> str:
    """The sentence containing text[start:end] (the first sentence without offsets)."""
    text = " ".join(text.split()) if start is None else text
    if not text.strip():
        return ""
    spans = sentences(text)
    chosen = spans[0]
    if start is not None and 0 <= start <= len(text):
        chosen = next((s for s in spans if s[0] <= start < s[1]), chosen)
        last = next((s for s in spans if s[0] < (end or start) <= s[1]), chosen)
        if last[1] - chosen[0] <= limit:
            chosen = (chosen[0], last[1])
    sentence = " ".join(text[chosen[0]:chosen[1]].split())
    return shorten(sentence, limit, focus=None if start is None else start - chosen[0])


def shorten(text: str, limit: int = MAX_QUOTE, focus: int | None = None) -> str:
    """At most ``limit`` characters, cut at spaces, with an ellipsis where text was left out;
    the window keeps ``focus`` (an offset into text) inside."""
    if len(text) <= limit:
        return text
    begin = 0
    if focus is not None and focus > limit * 2 // 3:
        begin = text.rfind(" ", 0, max(0, focus - limit // 3)) + 1
    piece = text[begin:begin + limit]
    if begin + limit < len(text):
        piece = piece[:piece.rfind(" ")] if " " in piece else piece
        piece = piece.rstrip(",;:– ") + " …"
    return ("… " if begin else "") + piece.strip()
