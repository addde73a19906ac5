"""Static checks: the mistakes the loader reports before a questionnaire is ever used.

Unknown questions, a note used as a value, ``.`` outside a constraint, arithmetic on text,
comparisons that can never be true. Each mistake is reported once: a part whose kind is
unknown is "any" from then on.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from survey.questionnaire.expr.tree import (
    _NUMERIC_TEXT,
    ARITHMETIC,
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
    _call_problem,
    _quote,
)

# Types the checker reasons about: the model's value kinds plus "null" (the literal),
# "option" (a matrix cell: an option value, text or numeric) and "any" (unknown, never
# reported again so that one mistake gives one message).
_ANSWER_KINDS = {"string", "number", "date", "boolean", "list", "matrix"}

class _Checker:
    def __init__(
        self,
        kinds: Mapping[str, str],
        rows: Mapping[str, set[str]] | None,
        self_kind: str | None,
        source: str,
        root: Node,
    ) -> None:
        self.kinds, self.rows, self.self_kind = kinds, rows, self_kind
        self.source, self.whole = source, source or str(root)
        self.problems: list[ExprError] = []

    def report(self, node: Node, problem: str, hint: str = "") -> None:
        fragment = self.source[node.start : node.end] if self.source else str(node)
        message = f"{problem} in {_quote(self.whole)}" + (f"; {hint}" if hint else "")
        self.problems.append(ExprError(message, node.start, fragment))

    def text(self, node: Node) -> str:
        """The node's source text, quoted unless it is a quoted string already."""
        text = self.source[node.start : node.end] if self.source else str(node)
        return text if text[:1] in ("'", '"') else _quote(text)

    def type_of(self, node: Node) -> str:
        """The kind of value ``node`` gives, reporting problems on the way."""
        match node:
            case Literal(value=value):
                return _literal_kind(value)
            case ListExpr(items=items):
                for item in items:
                    self.type_of(item)
                return "list"
            case Ref():
                return self.ref_kind(node)
            case Cell():
                return self.cell_kind(node)
            case SelfRef():
                if self.self_kind is None:
                    self.report(
                        node, "'.' (this question's own answer) is only allowed in a constraint"
                    )
                    return "any"
                return self.self_kind if self.self_kind in _ANSWER_KINDS else "any"
            case Not(operand=operand):
                self.type_of(operand)
                return "boolean"
            case Neg(operand=operand):
                self.need_number(node, operand, self.type_of(operand))
                return "number"
            case BinOp():
                return self.binop_kind(node)
            case Call():
                return self.call_kind(node)
        raise TypeError(f"not an expression node: {node!r}")

    def ref_kind(self, node: Ref) -> str:
        if node.name not in self.kinds:
            close = difflib.get_close_matches(node.name, list(self.kinds), n=1)
            maybe = f"did you mean {close[0]!r}?" if close else ""
            self.report(node, f"unknown question {node.name!r}", maybe)
            return "any"
        kind = self.kinds[node.name]
        if kind == "none":
            self.report(node, f"question {node.name!r} is a note and has no answer")
            return "any"
        return kind if kind in _ANSWER_KINDS else "any"

    def cell_kind(self, node: Cell) -> str:
        if node.name not in self.kinds:
            self.report(node, f"unknown question {node.name!r}")
        elif self.kinds[node.name] != "matrix":
            self.report(
                node,
                f"{self.text(node)} reads row {node.row!r} of {node.name!r},"
                f" but {node.name!r} is not a matrix question",
            )
        elif self.rows is not None and node.row not in self.rows.get(node.name, set()):
            known = ", ".join(sorted(self.rows.get(node.name, set()))) or "none"
            self.report(node, f"matrix {node.name!r} has no row {node.row!r} (rows: {known})")
        else:
            return "option"
        return "any"

    def need_number(self, where: Node, operand: Node, kind: str) -> None:
        if kind not in ("number", "option", "any", "null") and not _is_numeric_literal(operand):
            self.report(where, f"arithmetic needs numbers, but {self.text(operand)} is {_a(kind)}")

    def binop_kind(self, node: BinOp) -> str:
        left, right = self.type_of(node.left), self.type_of(node.right)
        op = node.op
        if op in ("and", "or"):
            return "boolean"
        if op in ARITHMETIC:
            self.need_number(node, node.left, left)
            self.need_number(node, node.right, right)
            return "number"
        if op in ("in", "not in"):
            if right not in ("list", "any"):
                self.report(
                    node,
                    f"{op!r} needs a list on the right, but {self.text(node.right)} is {_a(right)}",
                )
            if left in ("list", "matrix"):
                self.report(node, f"{op!r} needs a single value on the left, not {_a(left)}")
            return "boolean"
        if not _comparable(op, node.left, left, node.right, right):
            hint = ""
            if "list" in (left, right) and op in ("=", "!="):
                hint = "use selected(question, 'value') for a multiple-choice answer"
            elif "matrix" in (left, right):
                hint = "compare one row as question.row"
            if left == right or op not in ("=", "!=") and {left, right} & {"boolean", "list"}:
                odd = left if left in ("boolean", "list", "matrix") else right
                problem = f"cannot use {op!r} on {_a(odd)}"
            else:
                problem = f"cannot compare {_a(left)} with {_a(right)} using {op!r}"
            self.report(node, problem, hint)
        return "boolean"

    def call_kind(self, node: Call) -> str:
        kinds = [self.type_of(arg) for arg in node.args]
        if problem := _call_problem(node, self.source):
            self.problems.append(
                ExprError(problem, node.start, self.source[node.start : node.end] or str(node))
            )
            return "any"
        name = node.name
        if name == "selected":
            if kinds[0] not in ("string", "number", "option", "list", "any"):
                self.report(
                    node,
                    f"selected() needs a choice question, but {self.text(node.args[0])}"
                    f" is {_a(kinds[0])}",
                )
            if kinds[1] not in ("string", "number", "option", "any"):
                self.report(node, f"selected() needs an option value, not {_a(kinds[1])}")
            return "boolean"
        if name == "count" and kinds[0] not in ("list", "matrix", "null", "any"):
            self.report(
                node,
                f"count() needs a multiple-choice or matrix answer, but"
                f" {self.text(node.args[0])} is {_a(kinds[0])}",
            )
        if name == "length" and kinds[0] not in ("string", "option", "null", "any"):
            hint = "use count() for a list" if kinds[0] in ("list", "matrix") else ""
            self.report(
                node, f"length() needs text, but {self.text(node.args[0])} is {_a(kinds[0])}", hint
            )
        return {"empty": "boolean", "count": "number", "length": "number", "today": "date"}[name]


def _literal_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"


def _is_numeric_literal(node: Node) -> bool:
    return (
        isinstance(node, Literal)
        and isinstance(node.value, str)
        and _NUMERIC_TEXT.fullmatch(node.value) is not None
    )


def _comparable(op: str, left_node: Node, left: str, right_node: Node, right: str) -> bool:
    """False only for clear mistakes; anything that might make sense passes."""
    if "any" in (left, right):
        return True
    if "null" in (left, right):
        return op in ("=", "!=")  # an ordering with null is always false
    if "matrix" in (left, right):
        return False
    if op not in ("=", "!=") and "boolean" in (left, right):
        return False
    if op not in ("=", "!=") and "list" in (left, right):
        return False
    pair = {left, right}
    if len(pair) == 1 or pair in ({"option", "string"}, {"option", "number"}):
        return True
    if pair == {"number", "string"}:
        text_node = left_node if left == "string" else right_node
        return _is_numeric_literal(text_node)
    if pair == {"date", "string"}:
        return True
    return False


def _a(kind: str) -> str:
    return {
        "any": "a value",
        "null": "null",
        "string": "text",
        "number": "a number",
        "date": "a date",
        "boolean": "a yes/no value",
        "list": "a list (multiple choice)",
        "matrix": "a matrix",
        "option": "a matrix cell",
    }.get(kind, kind)


def check(
    node: Node,
    kinds: Mapping[str, str],
    rows: Mapping[str, set[str]] | None = None,
    self_kind: str | None = None,
    *,
    source: str = "",
) -> list[ExprError]:
    """Every problem the questionnaire loader should report for this expression.

    ``kinds`` maps question names to model.VALUE_KIND values; ``rows`` maps matrix question
    names to their row names (row checks are skipped when it is None); ``self_kind`` is the
    kind of the question a constraint belongs to (None for ``relevant``, where ``.`` is
    wrong). Pass ``source`` so that each error's fragment is the exact text written.
    """
    checker = _Checker(kinds, rows, self_kind, source, node)
    checker.type_of(node)
    return sorted(checker.problems, key=lambda problem: problem.position)

