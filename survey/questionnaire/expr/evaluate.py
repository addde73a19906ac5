"""Evaluation: the value of a tree given the answers so far, with the rules of the module
docstring of survey.questionnaire.expr (static/relevant.js implements the same ones)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from survey.questionnaire.expr.tree import (
    _NUMERIC_TEXT,
    ARITHMETIC,
    FUNCTIONS,
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
)


def truthy(value: Any) -> bool:
    """Whether a value counts as true for ``and``/``or``/``not`` and for ``relevant``."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str | list | tuple | dict):
        return len(value) > 0
    return True


def _answer(value: Any) -> Any:
    """An answer as the language sees it: unanswered is None; dates are ISO text."""
    if isinstance(value, str | list | tuple | dict) and len(value) == 0:
        return None
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _number(value: Any) -> float | None:
    """The value as a number, or None: numbers and numeric strings; never booleans."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not _NUMERIC_TEXT.fullmatch(value):
            return None
    elif not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    left_number, right_number = _number(left), _number(right)
    if left_number is not None and right_number is not None:
        return left_number == right_number
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_equal, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_equal(left[k], right[k]) for k in left)
    return False


def _order(op: str, left: Any, right: Any) -> bool:
    left_number, right_number = _number(left), _number(right)
    if left_number is not None and right_number is not None:
        left, right = left_number, right_number
    elif not (isinstance(left, str) and isinstance(right, str)):
        return False
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left >= right


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    if op == "=":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if op in ("in", "not in"):
        if not isinstance(right, list):
            return False
        found = any(_equal(left, item) for item in right)
        return found if op == "in" else not found
    return _order(op, left, right)


def _arithmetic(op: str, left: Any, right: Any) -> float | None:
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return None
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return None if b == 0 else a / b


def _is_null(node: Node) -> bool:
    return isinstance(node, Literal) and node.value is None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and len(value) == 0)


def _selected(answer: Any, value: Any) -> bool:
    if answer is None or value is None:
        return False
    if isinstance(answer, list):
        return any(_equal(item, value) for item in answer)
    return _equal(answer, value)


def _count(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        return sum(1 for cell in value.values() if not _empty(cell))
    return 1


def _length(value: Any) -> int | None:
    if value is None:
        return 0
    if isinstance(value, str):
        return len(value.replace("\r\n", "\n"))  # browsers submit line breaks as \r\n
    return None


_CALLS: dict[str, Callable[..., Any]] = {
    "empty": _empty,
    "selected": _selected,
    "count": _count,
    "length": _length,
    "today": lambda: dt.date.today().isoformat(),
}


def evaluate(node: Node, answers: Mapping[str, Any], self_value: Any = None) -> Any:
    """The value of an expression given the answers so far; never raises on odd data.

    ``answers`` maps question names to stored values (text, numbers, booleans, ISO dates,
    lists for multiple choice, dicts row -> value for matrices); missing means unanswered.
    """
    rule = _RULES.get(type(node))
    if rule is None:
        raise ExprError(f"cannot evaluate {node!s}", getattr(node, "start", 0), str(node))
    return rule(node, answers, self_value)


# One rule per node type: (node, answers, self_value) -> value.


def _literal(node: Literal, answers: Mapping[str, Any], self_value: Any) -> Any:
    return node.value


def _list(node: ListExpr, answers: Mapping[str, Any], self_value: Any) -> Any:
    return [evaluate(item, answers, self_value) for item in node.items]


def _ref(node: Ref, answers: Mapping[str, Any], self_value: Any) -> Any:
    return _answer(answers.get(node.name))


def _cell(node: Cell, answers: Mapping[str, Any], self_value: Any) -> Any:
    matrix = answers.get(node.name)
    return _answer(matrix.get(node.row)) if isinstance(matrix, dict) else None


def _self(node: SelfRef, answers: Mapping[str, Any], self_value: Any) -> Any:
    return _answer(self_value)


def _not(node: Not, answers: Mapping[str, Any], self_value: Any) -> Any:
    return not truthy(evaluate(node.operand, answers, self_value))


def _neg(node: Neg, answers: Mapping[str, Any], self_value: Any) -> Any:
    number = _number(evaluate(node.operand, answers, self_value))
    return None if number is None else -number


def _binop(node: BinOp, answers: Mapping[str, Any], self_value: Any) -> Any:
    op, left, right = node.op, node.left, node.right
    if op == "and":  # short-circuit, as in the browser
        return truthy(evaluate(left, answers, self_value)) and truthy(
            evaluate(right, answers, self_value))
    if op == "or":
        return truthy(evaluate(left, answers, self_value)) or truthy(
            evaluate(right, answers, self_value))
    a, b = evaluate(left, answers, self_value), evaluate(right, answers, self_value)
    if op in ("=", "!=") and (_is_null(left) or _is_null(right)):
        return (a is None and b is None) == (op == "=")
    if op in ARITHMETIC:
        return _arithmetic(op, a, b)
    return _compare(op, a, b)


def _call(node: Call, answers: Mapping[str, Any], self_value: Any) -> Any:
    if node.name not in _CALLS or len(node.args) != FUNCTIONS[node.name]:
        raise ExprError(f"cannot evaluate {node!s}", node.start, str(node))
    return _CALLS[node.name](*(evaluate(arg, answers, self_value) for arg in node.args))


_RULES: dict[type, Callable[[Any, Mapping[str, Any], Any], Any]] = {
    Literal: _literal, ListExpr: _list, Ref: _ref, Cell: _cell, SelfRef: _self,
    Not: _not, Neg: _neg, BinOp: _binop, Call: _call,
}
