"""The expression tree: frozen nodes that know their source span and print as source.

Shared by every other part of the language (grammar, checker, evaluator, JSON form), so it
imports none of them. ``str(node)`` gives source text that parses back to an equal tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

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



def references(node: Node) -> set[str]:
    """The names of the questions an expression reads (``a.b`` reads ``a``; ``.`` is not
    counted). The loader uses this to find cycles between questions."""
    return {sub.name for sub in _walk(node) if isinstance(sub, Ref | Cell)}


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


def _quote(text: str) -> str:
    return "'" + text + "'"

#: Text that counts as a number (``'3' = 3``), for the checker and the evaluator alike.
_NUMERIC_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
