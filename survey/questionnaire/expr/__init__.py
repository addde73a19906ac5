"""The safe expression language of questionnaires, for ``relevant`` and ``constraint``.

Why a language of our own: questionnaire YAML is data, written by people who are not
programmers. An expression is parsed with a fixed lark grammar into a small tree of frozen
dataclasses and evaluated by walking that tree. Nothing reaches ``eval``, no attribute is
looked up by name, and only the whitelisted functions exist. ``to_json`` hands the same tree
to ``static/relevant.js``, which evaluates it in the browser with the same rules:

- an unanswered question is None (absent, None, '' and [] all count as unanswered);
- None propagates through arithmetic, and division by zero gives None;
- a comparison involving None is false, except the null tests ``x = null`` and ``x != null``;
- numbers and numeric strings compare numerically (``'3' = 3``), other strings as text,
  so ISO dates compare in date order;
- ``and``, ``or`` and ``not`` use truthiness: None, false, 0, '' and empty lists are false.

``${name}`` is accepted as a synonym of ``name`` (XLSForm's way of writing a reference).

The package's parts: tree.py (the nodes), grammar.py and syntax.py (parsing and its error
messages), check.py (what the loader reports), evaluate.py, jsonform.py (for the browser).
"""

from __future__ import annotations

from survey.questionnaire.expr.check import check
from survey.questionnaire.expr.evaluate import evaluate, truthy
from survey.questionnaire.expr.grammar import parse
from survey.questionnaire.expr.jsonform import to_json
from survey.questionnaire.expr.tree import (
    ARITHMETIC,
    COMPARISONS,
    FUNCTIONS,
    MAX_DEPTH,
    BinOp,
    Call,
    Cell,
    ExprError,
    ListExpr,
    Literal,
    Neg,
    Node,
    Not,
    Ref,
    SelfRef,
    references,
)

__all__ = [
    "ARITHMETIC",
    "COMPARISONS",
    "MAX_DEPTH",
    "FUNCTIONS",
    "BinOp",
    "Call",
    "Cell",
    "ExprError",
    "ListExpr",
    "Literal",
    "Neg",
    "Node",
    "Not",
    "Ref",
    "SelfRef",
    "check",
    "evaluate",
    "parse",
    "references",
    "to_json",
    "truthy",
]
