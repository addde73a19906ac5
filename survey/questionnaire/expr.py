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
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

__all__ = [
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

#: Deeper trees are refused so that walking them can never exhaust Python's stack.
MAX_DEPTH = 60

#: The only functions there are, with their number of arguments.
FUNCTIONS = {"empty": 1, "selected": 2, "count": 1, "length": 1, "today": 0}

COMPARISONS = ("=", "!=", "<", "<=", ">", ">=", "in", "not in")
ARITHMETIC = ("+", "-", "*", "/")


class ExprError(ValueError):
    """A problem with an expression, pointing at the part of the source that causes it."""

    def __init__(self, message: str, position: int = 0, fragment: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.fragment = fragment

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ExprError({self.message!r}, position={self.position}, fragment={self.fragment!r})"


# --------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Node:
    """Base of every tree node; ``start``/``end`` locate it in the source (not compared)."""

    start: int = field(default=0, compare=False, kw_only=True)
    end: int = field(default=0, compare=False, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return ()

    @property
    def precedence(self) -> int:
        return 8


@dataclass(frozen=True)
class Literal(Node):
    value: str | int | float | bool | None

    def __str__(self) -> str:
        value = self.value
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
        return repr(value)


@dataclass(frozen=True)
class ListExpr(Node):
    items: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.items

    def __str__(self) -> str:
        return "[" + ", ".join(map(str, self.items)) + "]"


@dataclass(frozen=True)
class Ref(Node):
    """The answer to another question."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Cell(Node):
    """One row's answer of a matrix question: ``question.row``."""

    name: str
    row: str

    def __str__(self) -> str:
        return f"{self.name}.{self.row}"


@dataclass(frozen=True)
class SelfRef(Node):
    """``.``: the answer being checked by a constraint."""

    def __str__(self) -> str:
        return "."


@dataclass(frozen=True)
class Not(Node):
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    @property
    def precedence(self) -> int:
        return 3

    def __str__(self) -> str:
        return "not " + _wrap(self.operand, self.operand.precedence < 3)


@dataclass(frozen=True)
class Neg(Node):
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    @property
    def precedence(self) -> int:
        return 7

    def __str__(self) -> str:
        return "-" + _wrap(self.operand, self.operand.precedence < 7)


_BINARY_PRECEDENCE = {"or": 1, "and": 2, **dict.fromkeys(COMPARISONS, 4)}
_BINARY_PRECEDENCE.update({"+": 5, "-": 5, "*": 6, "/": 6})


@dataclass(frozen=True)
class BinOp(Node):
    """``or``, ``and``, a comparison, ``in``/``not in`` or arithmetic."""

    op: str
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)

    @property
    def precedence(self) -> int:
        return _BINARY_PRECEDENCE[self.op]

    def __str__(self) -> str:
        own = self.precedence
        # Left-associative, and comparisons do not chain: parenthesise what the grammar would
        # otherwise group differently, so that parse(str(tree)) == tree.
        left = _wrap(
            self.left, self.left.precedence < own or (own == 4 and self.left.precedence == 4)
        )
        right = _wrap(self.right, self.right.precedence <= own)
        return f"{left} {self.op} {right}"


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args

    def __str__(self) -> str:
        return f"{self.name}(" + ", ".join(map(str, self.args)) + ")"


def _wrap(node: Node, needed: bool) -> str:
    return f"({node})" if needed else str(node)


def _walk(node: Node) -> Iterator[Node]:
    """Every node in source order, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children()))


def _depth(node: Node) -> int:
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in current.children())
    return deepest


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
        raise _syntax_error(source, error) from None
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


def _call_problem(call: Call, source: str) -> str | None:
    text = source[call.start : call.end] if source else str(call)
    if call.name not in FUNCTIONS:
        known = ", ".join(f"{name}()" for name in FUNCTIONS)
        return f"unknown function {call.name!r} in {_quote(text)} (known functions: {known})"
    wanted = FUNCTIONS[call.name]
    if len(call.args) != wanted:
        plural = "" if wanted == 1 else "s"
        return (
            f"{call.name}() takes {wanted} argument{plural} but got {len(call.args)}"
            f" in {_quote(text)}"
        )
    return None


_VALUE_TOKENS = {"NAME", "CELL", "NUMBER", "STRING", "TRUE", "FALSE", "NULL", "LSQB", "DOT"}
_OPERATOR_TOKENS = {"COMPARE", "PLUS", "MINUS", "STAR", "SLASH", "IN", "AND", "OR", "NOT"}
_PUNCTUATION = {"RPAR": "')'", "RSQB": "']'", "COMMA": "','", "LPAR": "'('"}
_HINTS = {
    "&": "use 'and'",
    "&&": "use 'and'",
    "|": "use 'or'",
    "||": "use 'or'",
    "!": "use 'not'",
}
_KEYWORDS = ("and", "or", "not", "in", "true", "false", "null")


def _describe_expected(expected: set[str]) -> str:
    wanted = []
    if expected & _VALUE_TOKENS:
        wanted.append("a value (a question name, number, 'text', true, false, null or a list)")
        expected = expected - {"MINUS", "NOT", "LPAR"}  # these start a value here
    if expected & _OPERATOR_TOKENS:
        wanted.append("an operator")
    wanted += [text for name, text in _PUNCTUATION.items() if name in expected]
    if "$END" in expected:
        wanted.append("the end of the expression")
    if not wanted:
        return "something else"
    return wanted[0] if len(wanted) == 1 else ", ".join(wanted[:-1]) + " or " + wanted[-1]


def _expected(error: UnexpectedInput) -> set[str]:
    """The terminals that could really come next (LALR's own set is too wide)."""
    return set(getattr(error, "accepts", None) or getattr(error, "expected", None) or ())


def _syntax_error(source: str, error: UnexpectedInput) -> ExprError:
    whole = _quote(source.strip())
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        expected = _describe_expected(_expected(error))
        tail = source.rstrip()
        last = tail.split()[-1]
        return ExprError(
            f"incomplete expression {whole}: expected {expected} after {_quote(last)}",
            len(tail) - len(last),
            last,
        )
    if isinstance(error, UnexpectedToken):
        position = error.token.start_pos or 0
        fragment = str(error.token)
        accepted = _expected(error)
        expected = _describe_expected(accepted)
        if fragment == "=" and source[:position].rstrip().endswith("="):
            end = position + 1
            position = source.rindex("=", 0, position)
            fragment = source[position:end]
            expected = "use '=' to compare"
        elif error.token.type in ("COMPARE", "IN") and not accepted & (_VALUE_TOKENS | {"COMPARE"}):
            expected = "comparisons cannot be chained; join them with 'and'"
    else:
        assert isinstance(error, UnexpectedCharacters)
        position = error.pos_in_stream
        match = re.compile(r"&&|\|\||[A-Za-z_][A-Za-z0-9_]*|\S").match(source, position)
        fragment = match.group() if match else source[position : position + 1]
        expected = ""
    hint = _HINTS.get(fragment, "")
    if expected.startswith(("use", "comparisons")):
        hint = expected
    elif fragment in ("'", '"'):
        hint = "the text is not closed by a matching quote"
    elif fragment.lower() in _KEYWORDS and fragment != fragment.lower():
        hint = f"keywords are lowercase: use {fragment.lower()!r}"
    elif fragment != fragment.lower() and re.fullmatch(r"\w+", fragment):
        hint = "names are lowercase"
    elif not hint and expected:
        hint = f"expected {expected}"
    elif not hint:
        hint = "this character is not part of the language"
    return ExprError(f"unexpected {_quote(fragment)} in {whole}: {hint}", position, fragment)


def _quote(text: str) -> str:
    return "'" + text + "'"


# --------------------------------------------------------------------------- reading the tree


def references(node: Node) -> set[str]:
    """The names of the questions an expression reads (``a.b`` reads ``a``; ``.`` is not
    counted). The loader uses this to find cycles between questions."""
    return {sub.name for sub in _walk(node) if isinstance(sub, Ref | Cell)}


def to_json(node: Node) -> dict:
    """A JSON-serialisable form of the tree for static/relevant.js (same semantics)."""
    match node:
        case Literal(value=value):
            return {"type": "literal", "value": value}
        case ListExpr(items=items):
            return {"type": "list", "items": [to_json(item) for item in items]}
        case Ref(name=name):
            return {"type": "ref", "name": name}
        case Cell(name=name, row=row):
            return {"type": "cell", "name": name, "row": row}
        case SelfRef():
            return {"type": "self"}
        case Not(operand=operand):
            return {"type": "not", "operand": to_json(operand)}
        case Neg(operand=operand):
            return {"type": "neg", "operand": to_json(operand)}
        case BinOp(op=op, left=left, right=right):
            return {"type": "op", "op": op, "left": to_json(left), "right": to_json(right)}
        case Call(name=name, args=args):
            return {"type": "call", "name": name, "args": [to_json(arg) for arg in args]}
    raise TypeError(f"not an expression node: {node!r}")


# --------------------------------------------------------------------------- static checks

# Types the checker reasons about: the model's value kinds plus "null" (the literal),
# "option" (a matrix cell: an option value, text or numeric) and "any" (unknown, never
# reported again so that one mistake gives one message).
_ANSWER_KINDS = {"string", "number", "date", "boolean", "list", "matrix"}
_NUMERIC_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


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


# --------------------------------------------------------------------------- evaluation


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
    match node:
        case Literal(value=value):
            return value
        case ListExpr(items=items):
            return [evaluate(item, answers, self_value) for item in items]
        case Ref(name=name):
            return _answer(answers.get(name))
        case Cell(name=name, row=row):
            matrix = answers.get(name)
            return _answer(matrix.get(row)) if isinstance(matrix, dict) else None
        case SelfRef():
            return _answer(self_value)
        case Not(operand=operand):
            return not truthy(evaluate(operand, answers, self_value))
        case Neg(operand=operand):
            number = _number(evaluate(operand, answers, self_value))
            return None if number is None else -number
        case BinOp(op="and", left=left, right=right):
            return truthy(evaluate(left, answers, self_value)) and truthy(
                evaluate(right, answers, self_value)
            )
        case BinOp(op="or", left=left, right=right):
            return truthy(evaluate(left, answers, self_value)) or truthy(
                evaluate(right, answers, self_value)
            )
        case BinOp(op=op, left=left, right=right):
            a, b = evaluate(left, answers, self_value), evaluate(right, answers, self_value)
            if op in ("=", "!=") and (_is_null(left) or _is_null(right)):
                return (a is None and b is None) == (op == "=")
            if op in ARITHMETIC:
                return _arithmetic(op, a, b)
            return _compare(op, a, b)
        case Call(name=name, args=args) if name in _CALLS and len(args) == FUNCTIONS[name]:
            return _CALLS[name](*(evaluate(arg, answers, self_value) for arg in args))
    raise ExprError(f"cannot evaluate {node!s}", getattr(node, "start", 0), str(node))
