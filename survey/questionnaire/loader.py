"""Load and validate questionnaire YAML in one place, with one error type.

Every problem is reported as ``FILE:LINE: message`` and the loader collects all of them
before giving up, so an author fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survey.questionnaire import expr
from survey.questionnaire.builder import (
    ID_RE,
    NAME_RE,
    PAGE_KEYS,
    QUESTION_KEYS,
    TOP_KEYS,
    _Builder,
    known_codebooks,
)
from survey.questionnaire.model import VALUE_KIND, Questionnaire
from survey.questionnaire.yamlfile import LineDict, Problem, QuestionnaireError, parse_yaml

__all__ = [
    "ID_RE", "NAME_RE", "PAGE_KEYS", "QUESTION_KEYS", "TOP_KEYS", "LineDict", "Problem",
    "QuestionnaireError", "check", "known_codebooks", "load", "loads", "parse_yaml",
]


def _compile_expressions(questionnaire: Questionnaire, filename: str,
                         lines: dict[str, dict[str, int]]) -> tuple[Questionnaire, list[Problem]]:
    """Parse and type-check every expression; find relevance cycles."""
    problems: list[Problem] = []
    kinds = {q.name: VALUE_KIND[q.type] for q in questionnaire.questions}
    rows = {q.name: {r.name for r in q.rows} for q in questionnaire.questions if q.rows}
    compiled: dict[str, dict[str, Any]] = {}
    depends: dict[str, set[str]] = {}
    for question in questionnaire.questions:
        compiled[question.name] = {}
        for key, self_kind in (("relevant", None), ("constraint", question.kind)):
            source = getattr(question, f"{key}_src")
            if source is None:
                continue
            line = lines.get(question.name, {}).get(key, question.line)
            try:
                tree = expr.parse(source)
            except expr.ExprError as error:
                problems.append(Problem(filename, line, f"{key} of '{question.name}': "
                                        f"{error.message}"))
                continue
            errors = expr.check(tree, kinds, rows, self_kind, source=source)
            for error in errors:
                problems.append(Problem(filename, line, f"{key} of '{question.name}': "
                                        f"{error.message}"))
            if not errors:
                compiled[question.name][key] = tree
                if key == "relevant":
                    depends[question.name] = expr.references(tree)
    for cycle in _cycles(depends):
        first = cycle[0]
        line = lines.get(first, {}).get("relevant", questionnaire.question(first).line)
        problems.append(Problem(filename, line, "relevance cycle: " + " -> ".join(cycle)))
    if problems:
        return questionnaire, problems
    pages = tuple(
        _replace(p, questions=tuple(
            _replace(q, relevant=compiled[q.name].get("relevant"),
                     constraint=compiled[q.name].get("constraint"))
            for q in p.questions))
        for p in questionnaire.pages
    )
    return _replace(questionnaire, pages=pages, _index={}), []


def _replace(obj, **changes):
    import dataclasses

    return dataclasses.replace(obj, **changes)


def _cycles(depends: dict[str, set[str]]) -> list[list[str]]:
    """Each relevance cycle once, as the path that closes it."""
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "active"
        for target in sorted(depends.get(node, ())):
            if state.get(target) == "active":
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = "done"

    for node in sorted(depends):
        if node not in state:
            visit(node, [node])
    return cycles


def _expression_lines(data: Any) -> dict[str, dict[str, int]]:
    lines: dict[str, dict[str, int]] = {}
    if not isinstance(data, dict):
        return lines
    for page in data.get("pages") or []:
        for raw in (page.get("questions") or []) if isinstance(page, dict) else []:
            if isinstance(raw, LineDict) and isinstance(raw.get("name"), str):
                lines[raw["name"]] = {k: raw.line_of(k) for k in ("relevant", "constraint")}
    return lines


def loads(text: str, filename: str = "<string>", codebooks: Iterable[str] | None = None
          ) -> Questionnaire:
    """Build a questionnaire from YAML text; raise QuestionnaireError with every problem."""
    data, problems = parse_yaml(text, filename)
    if data is None and problems:
        raise QuestionnaireError(problems)
    builder = _Builder(filename, codebooks)
    questionnaire = builder.build(data)
    problems += builder.problems
    if questionnaire is not None and not problems:
        questionnaire, expression_problems = _compile_expressions(
            questionnaire, filename, _expression_lines(data))
        problems += expression_problems
    if problems or questionnaire is None:
        raise QuestionnaireError(sorted(problems, key=lambda p: p.line))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _replace(questionnaire, source=text, hash=digest, path=filename, _index={})


def load(path: str | Path, codebooks: Iterable[str] | None = None) -> Questionnaire:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QuestionnaireError([Problem(str(path), 1, "file is not valid UTF-8")]) from None
    except OSError as error:
        raise QuestionnaireError([Problem(str(path), 0, f"cannot read: {error.strerror}")]) \
            from None
    return loads(text, str(path), codebooks)


def check(path: str | Path) -> list[Problem]:
    """Every problem of one questionnaire file (empty when it is valid)."""
    try:
        load(path)
    except QuestionnaireError as error:
        return error.problems
    return []


if __name__ == "__main__":  # pragma: no cover - convenience for authors
    import sys

    found = [problem for name in sys.argv[1:] for problem in check(name)]
    for problem in found:
        print(problem)
    sys.exit(1 if found else 0)
