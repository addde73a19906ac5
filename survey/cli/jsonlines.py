"""JSON Lines in and out, shared by the commands that read {"id", "text"} answers.

Every input line gives exactly one output line, so a caller can zip input and output; a bad
line gives an error object in its place, never a gap.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


def dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def parse_answer_line(line: str) -> tuple[Any, str]:
    """(id, text) of one input line; raises ValueError with a Swedish + English message."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"ogiltig JSON (invalid JSON): {exc.msg}, kolumn {exc.colno}") from exc
    if not isinstance(row, dict):
        raise ValueError("raden ska vara ett JSON-objekt (line must be a JSON object)")
    text = row.get("text")
    if text is None and "text" not in row:
        raise ValueError("'text' saknas ('text' is missing)")
    if text is not None and not isinstance(text, str):
        raise ValueError("'text' ska vara en sträng ('text' must be a string)")
    if not encodable(row):
        raise ValueError("ogiltigt Unicode-tecken (ensamt surrogat) (invalid Unicode: lone "
                         "surrogate)")
    return row.get("id"), text or ""


def encodable(value: Any) -> bool:
    """Can `value` be written as UTF-8? JSON allows "\\ud800", which UTF-8 cannot hold."""
    try:
        dump(value).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def id_if_any(line: str) -> Any:
    try:
        row = json.loads(line)
    except ValueError:
        return None
    answer_id = row.get("id") if isinstance(row, dict) else None
    return answer_id if encodable(answer_id) else None


def read_answers(handle: Iterable[str]) -> Iterator[tuple[int, Any, str | None, str | None]]:
    """(line number, id, text, None) per good line and (number, id if any, None, error) per
    bad one, so every input line gets exactly one output line."""
    for number, line in enumerate(handle, 1):
        try:
            if not line.strip():
                raise ValueError("tom rad (blank line)")
            answer_id, text = parse_answer_line(line)
        except ValueError as exc:
            yield number, id_if_any(line), None, str(exc)
        else:
            yield number, answer_id, text, None
