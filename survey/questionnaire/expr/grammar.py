"""Parsing: source text -> tree, with a fixed lark grammar (LALR, so no backtracking).

Only what the grammar names can appear in a tree: there is no way to reach Python from an
expression. ``${name}`` (XLSForm's spelling of a question reference) parses to the same
``Ref`` as ``name``, so imported forms and their JSON form for the browser do not differ.
"""

from __future__ import annotations

import re
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput

from survey.questionnaire.expr.syntax import syntax_error
from survey.questionnaire.expr.tree import (
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
    _call_problem,
    _depth,
    _quote,
    _walk,
)

# --------------------------------------------------------------------------- parsing

_GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr | or_expr "or" and_expr -> or_
?and_expr: not_expr | and_expr "and" not_expr -> and_
?not_expr: comparison | "not" not_expr -> not_
?comparison: sum
    | sum COMPARE sum -> compare
    | sum "in" sum -> in_
    | sum "not" "in" sum -> not_in
?sum: product | sum (PLUS | MINUS) product -> arithmetic
?product: unary | product (STAR | SLASH) unary -> arithmetic
?unary: atom | MINUS unary -> neg
?atom: NUMBER -> number
    | STRING -> string
    | "true" -> true
    | "false" -> false
    | "null" -> null
    | NAME -> ref
    | XREF -> xref
    | CELL -> cell
    | "." -> self_ref
    | NAME "(" [_items] ")" -> call
    | "[" [_items] "]" -> list_
    | "(" or_expr ")"
_items: or_expr ("," or_expr)*

COMPARE: "!=" | "<=" | ">=" | "=" | "<" | ">"
PLUS: "+"
MINUS: "-"
STAR: "*"
SLASH: "/"
NAME: /[a-z_][a-z0-9_]*/
XREF: /\$\{[a-z_][a-z0-9_]*\}/
CELL.2: /[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*/
NUMBER: /[0-9]+(\.[0-9]+)?/
STRING: /'(?:[^'\\]|\\.)*'/ | /"(?:[^"\\]|\\.)*"/
%ignore /\s+/
"""

_PARSER = Lark(_GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=True)


@v_args(meta=True, inline=True)
class _Builder(Transformer):
    """Turns lark's parse tree into our own nodes, each carrying its source span."""

    def _span(self, meta: Any) -> dict[str, int]:
        return {"start": meta.start_pos, "end": meta.end_pos}

    def number(self, meta: Any, token: Token) -> Literal:
        text = str(token)
        return Literal(float(text) if "." in text else int(text), **self._span(meta))

    def string(self, meta: Any, token: Token) -> Literal:
        return Literal(re.sub(r"\\(.)", r"\1", token[1:-1], flags=re.S), **self._span(meta))

    def true(self, meta: Any) -> Literal:
        return Literal(True, **self._span(meta))

    def false(self, meta: Any) -> Literal:
        return Literal(False, **self._span(meta))

    def null(self, meta: Any) -> Literal:
        return Literal(None, **self._span(meta))

    def ref(self, meta: Any, token: Token) -> Ref:
        return Ref(str(token), **self._span(meta))

    def xref(self, meta: Any, token: Token) -> Ref:
        """``${name}``: XLSForm's way of writing ``name``; the same node."""
        return Ref(str(token)[2:-1], **self._span(meta))

    def cell(self, meta: Any, token: Token) -> Cell:
        name, row = str(token).split(".")
        return Cell(name, row, **self._span(meta))

    def self_ref(self, meta: Any) -> SelfRef:
        return SelfRef(**self._span(meta))

    def call(self, meta: Any, name: Token, *args: Node | None) -> Call:
        return Call(str(name), tuple(a for a in args if a is not None), **self._span(meta))

    def list_(self, meta: Any, *items: Node | None) -> ListExpr:
        return ListExpr(tuple(i for i in items if i is not None), **self._span(meta))

    def not_(self, meta: Any, operand: Node) -> Not:
        return Not(operand, **self._span(meta))

    def neg(self, meta: Any, _minus: Token, operand: Node) -> Neg:
        return Neg(operand, **self._span(meta))

    def or_(self, meta: Any, left: Node, right: Node) -> BinOp:
        return BinOp("or", left, right, **self._span(meta))

    def and_(self, meta: Any, left: Node, right: Node) -> BinOp:
        return BinOp("and", left, right, **self._span(meta))

    def compare(self, meta: Any, left: Node, op: Token, right: Node) -> BinOp:
        return BinOp(str(op), left, right, **self._span(meta))

    def arithmetic(self, meta: Any, left: Node, op: Token, right: Node) -> BinOp:
        return BinOp(str(op), left, right, **self._span(meta))

    def in_(self, meta: Any, left: Node, right: Node) -> BinOp:
        return BinOp("in", left, right, **self._span(meta))

    def not_in(self, meta: Any, left: Node, right: Node) -> BinOp:
        return BinOp("not in", left, right, **self._span(meta))


_BUILDER = _Builder()


def parse(source: str) -> Node:
    """Parse an expression; a syntax error, an unknown function or a wrong number of
    arguments raises ExprError naming the offending part."""
    if not isinstance(source, str) or not source.strip():
        raise ExprError("empty expression", 0, "")
    try:
        tree = _PARSER.parse(source)
    except UnexpectedInput as error:
        raise syntax_error(source, error) from None
    try:
        node = _BUILDER.transform(tree)
    except RecursionError:
        node = None
    if node is None or _depth(node) > MAX_DEPTH:
        raise ExprError(f"expression nested too deeply in {_quote(source)}", 0, source)
    for sub in _walk(node):
        if isinstance(sub, Call) and (message := _call_problem(sub, source)):
            raise ExprError(message, sub.start, source[sub.start : sub.end])
    return node

