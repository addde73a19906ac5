"""What XLSForm import and export share: column names, languages and the expressions.

XLSForm (https://xlsform.org) is the spreadsheet format of ODK and KoboToolbox. Its
expressions are XPath with ``${name}`` references; ours are the small language of
``survey.questionnaire.expr``. ``from_xpath`` translates an XLSForm expression into ours
(refusing what has no counterpart), ``to_xpath`` writes one of our parsed trees as XPath.
The reading side is ``xlsform_in``, the writing side ``xlsform_out``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from survey.questionnaire import expr

#: The languages we carry, as XLSForm names them (``label::Svenska (sv)``).
LANGUAGE_NAMES = {"sv": "Svenska (sv)", "en": "English (en)"}
_LANGUAGE_WORDS = {"sv": "sv", "svenska": "sv", "swedish": "sv",
                   "en": "en", "english": "en", "engelska": "en"}

#: Our own columns: what XLSForm cannot say. XLSForm tools ignore them.
TOOL = "lagesbild::"
#: The choice list of a boolean question.
YES_NO = "yes_no"
YES_NO_CHOICES = (("yes", "Ja", "Yes"), ("no", "Nej", "No"))


class XLSFormError(ValueError):
    """A form that cannot be carried over; ``problems`` are complete report lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def language_code(suffix: str) -> str | None:
    """'Svenska (sv)', 'sv', 'English' -> 'sv'/'en'; None for any other language."""
    match = re.search(r"\(([A-Za-z_-]+)\)\s*$", suffix)
    word = (match.group(1) if match else suffix).strip().lower()
    return _LANGUAGE_WORDS.get(word)


# --------------------------------------------------------------------------- XPath -> ours

_TOKEN = re.compile(r"""\s*(?:
    (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\|)
  | (?P<dot>\.\.|\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_:-]*)
  )""", re.X)

#: XLSForm functions with a counterpart here (``date('...')`` becomes the text itself).
_FUNCTIONS = {"selected": "selected", "count-selected": "count", "string-length": "length",
              "today": "today", "date": ""}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokenize(source: str) -> list[Token]:
    tokens, position = [], 0
    source = source.rstrip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if not match or match.end() == position:
            raise ValueError(f"unexpected {source[position:].strip()[:1]!r} in {source!r}")
        kind = next(k for k in ("ref", "string", "number", "op", "dot", "name") if match.group(k))
        text = match.group("refname") if kind == "ref" else match.group(kind)
        tokens.append(Token(kind, text.strip()))
        position = match.end()
    return tokens


def split_and(source: str) -> list[str]:
    """The top-level ``and`` conjuncts of an XPath expression, as source texts."""
    parts, depth, current = [], 0, []
    for token in tokenize(source):
        depth += {"(": 1, ")": -1}.get(token.text, 0) if token.kind == "op" else 0
        if token.kind == "name" and token.text == "and" and depth == 0:
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return [_join(part) for part in parts]


def _join(tokens: list[Token]) -> str:
    text, previous = "", None
    for token in tokens:
        glued = previous is not None and (
            (token.text == "(" and previous.kind == "name"
             and previous.text not in ("and", "or", "div", "mod"))
            or previous.text == "(" or token.text in (")", ","))
        text += ("" if glued or not text else " ") + (
            "${" + token.text + "}" if token.kind == "ref" else token.text)
        previous = token
    return text


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass
class _Translation:
    """One XPath expression being translated, token by token."""

    tokens: list[Token]
    refs: dict[str, str]
    booleans: set[str]
    out: list[str] = field(default_factory=list)
    parens: list[str] = field(default_factory=list)
    index: int = 0

    def peek(self, offset: int = 0) -> Token | None:
        at = self.index + offset
        return self.tokens[at] if at < len(self.tokens) else None

    def run(self) -> str:
        handlers: dict[str, Callable[[Token], int]] = {
            "ref": self.ref, "dot": self.dot, "string": self.string, "number": self.number,
            "op": self.op, "name": self.name,
        }
        while self.index < len(self.tokens):
            token = self.tokens[self.index]
            self.index += handlers[token.kind](token)
        return " ".join(self.out)

    def reference(self, token: Token) -> str:
        if token.kind == "dot":
            return "."
        if token.text not in self.refs:
            raise ValueError(f"unknown question ${{{token.text}}}")
        return self.refs[token.text]

    def null_test(self, token: Token) -> int:
        """``${x} = ''`` -> ``empty(x)``; ``${b} = 'yes'`` -> ``b = true`` for a boolean."""
        op, value = self.peek(1), self.peek(2)
        if not (op and value and op.text in ("=", "!=") and value.kind == "string"):
            return 0
        name, literal = self.reference(token), value.text[1:-1]
        if literal == "":
            self.out.append(("not " if op.text == "!=" else "") + f"empty({name})")
            return 3
        if token.kind == "ref" and token.text in self.booleans and literal in ("yes", "no"):
            self.out.append(f"{name} {op.text} {'true' if literal == 'yes' else 'false'}")
            return 3
        return 0

    def ref(self, token: Token) -> int:
        consumed = self.null_test(token)
        if not consumed:
            self.out.append(self.reference(token))
        return consumed or 1

    def dot(self, token: Token) -> int:
        if token.text == "..":
            raise ValueError("'..' (the parent group) has no counterpart")
        return self.ref(token)

    def string(self, token: Token) -> int:
        value = token.text[1:-1]
        self.out.append(_quote(value) if value else "null")
        return 1

    def number(self, token: Token) -> int:
        self.out.append(token.text)
        return 1

    def op(self, token: Token) -> int:
        if token.text == "|":
            raise ValueError("'|' (node-set union) has no counterpart")
        if token.text == "(":
            self.parens.append(")")
        elif token.text == ")":
            if not self.parens:
                raise ValueError("unbalanced ')'")
            self.out.append(self.parens.pop())
            return 1
        self.out.append(token.text)
        return 1

    def name(self, token: Token) -> int:
        word, following = token.text, self.peek(1)
        if word in ("and", "or", "div"):
            self.out.append("/" if word == "div" else word)
            return 1
        calls = following is not None and following.text == "("
        if not calls:
            raise ValueError(f"'{word}' is not supported here; refer to a question as ${{{word}}}")
        return self.call(word)

    def call(self, word: str) -> int:
        closing = self.peek(2)
        if word in ("true", "false") and closing is not None and closing.text == ")":
            self.out.append(word)
            return 3
        if word == "not":
            self.out.append("(not (")
            self.parens.append("))")
            return 2
        if word not in _FUNCTIONS:
            raise ValueError(f"function {word}() has no counterpart in Lägesbild")
        self.out.append(_FUNCTIONS[word] + "(")
        self.parens.append(")")
        return 2


def from_xpath(source: str, refs: dict[str, str], booleans: set[str] = frozenset()) -> str:
    """Translate an XLSForm expression; ValueError says why it cannot be.

    ``refs`` maps every XLSForm name to what refers to it here (``q`` or ``matrix.row``),
    ``booleans`` the XLSForm names of boolean (yes/no) questions."""
    translation = _Translation(tokenize(source), refs, set(booleans))
    text = translation.run()
    if translation.parens:
        raise ValueError("a '(' is not closed")
    try:
        return str(expr.parse(text))
    except expr.ExprError as error:
        raise ValueError(error.message) from None


# --------------------------------------------------------------------------- ours -> XPath

_PRECEDENCE = {"or": 1, "and": 2, "=": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4,
               "+": 5, "-": 5, "*": 6, "/": 6}


@dataclass(frozen=True)
class XPathWriter:
    """Writes our expression trees as XLSForm XPath.

    ``types`` is question name -> our type; a matrix cell ``q.r`` is the field ``q_r``."""

    types: dict[str, str]

    def write(self, node: expr.Node) -> str:
        return self.condition(node)[0]

    def condition(self, node: expr.Node) -> tuple[str, int]:
        """A node in a true/false position: a boolean question is tested for 'yes'."""
        if isinstance(node, expr.Ref) and self.types.get(node.name) == "boolean":
            return f"${{{node.name}}} = 'yes'", 4
        return self.node(node)

    def node(self, node: expr.Node) -> tuple[str, int]:
        """The XPath of a node and its precedence (8 for an atom)."""
        method = getattr(self, "_" + type(node).__name__.lower(), None)
        if method is None:
            raise ValueError(f"{type(node).__name__} cannot be written in XLSForm")
        return method(node)

    def _wrapped(self, node: expr.Node, needed: Callable[[int], bool], condition=False) -> str:
        text, precedence = self.condition(node) if condition else self.node(node)
        return f"({text})" if needed(precedence) else text

    def _literal(self, node: expr.Literal) -> tuple[str, int]:
        value = node.value
        if value is None:
            return "''", 8
        if isinstance(value, bool):
            return ("true()" if value else "false()"), 8
        if isinstance(value, str):
            return xpath_string(value), 8
        return repr(value), 8

    def _ref(self, node: expr.Ref) -> tuple[str, int]:
        return f"${{{node.name}}}", 8

    def _cell(self, node: expr.Cell) -> tuple[str, int]:
        return f"${{{node.name}_{node.row}}}", 8

    def _selfref(self, node: expr.SelfRef) -> tuple[str, int]:
        return ".", 8

    def _neg(self, node: expr.Neg) -> tuple[str, int]:
        return "-" + self._wrapped(node.operand, lambda p: p < 7), 7

    def _not(self, node: expr.Not) -> tuple[str, int]:
        operand = node.operand
        if isinstance(operand, expr.Call) and operand.name == "empty":
            return f"{self.node(operand.args[0])[0]} != ''", 4
        return f"not({self.condition(operand)[0]})", 8

    def _binop(self, node: expr.BinOp) -> tuple[str, int]:
        if node.op in ("in", "not in"):
            return self._membership(node)
        if node.op in ("=", "!=") and (boolean := self._boolean_test(node)):
            return boolean, 4
        own = _PRECEDENCE[node.op]
        logic = node.op in ("and", "or")
        left = self._wrapped(node.left, lambda p: p < own or (own == 4 and p == 4), logic)
        right = self._wrapped(node.right, lambda p: p <= own, logic)
        return f"{left} {'div' if node.op == '/' else node.op} {right}", own

    def _boolean_test(self, node: expr.BinOp) -> str | None:
        """``b = true`` on a boolean question -> ``${b} = 'yes'``."""
        left, right = node.left, node.right
        if isinstance(left, expr.Literal):
            left, right = right, left
        if (isinstance(left, expr.Ref) and self.types.get(left.name) == "boolean"
                and isinstance(right, expr.Literal) and isinstance(right.value, bool)):
            return f"${{{left.name}}} {node.op} '{'yes' if right.value else 'no'}'"
        return None

    def _membership(self, node: expr.BinOp) -> tuple[str, int]:
        if not isinstance(node.right, expr.ListExpr) or not node.right.items:
            raise ValueError("'in' needs a list of values to be written in XLSForm")
        left = self.node(node.left)[0]
        tests = " or ".join(f"{left} = {self.node(item)[0]}" for item in node.right.items)
        return (f"not({tests})", 8) if node.op == "not in" else (tests, 1)

    def _listexpr(self, node: expr.ListExpr) -> tuple[str, int]:
        raise ValueError("a list can only follow 'in' in XLSForm")

    def _call(self, node: expr.Call) -> tuple[str, int]:
        args = [self.node(arg)[0] for arg in node.args]
        if node.name == "empty":
            return f"{args[0]} = ''", 4
        if node.name == "count":
            target = node.args[0]
            if isinstance(target, expr.Ref) and self.types.get(target.name) == "matrix":
                raise ValueError("count() of a matrix has no XLSForm counterpart")
            return f"count-selected({args[0]})", 8
        names = {"selected": "selected", "length": "string-length", "today": "today"}
        return f"{names[node.name]}({', '.join(args)})", 8


def xpath_string(value: str) -> str:
    """An XPath string literal (XPath has no escapes: quote with what the text lacks)."""
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise ValueError(f"the text {value!r} has both kinds of quote; XPath cannot write it")
