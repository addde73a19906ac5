"""Syntax errors people can act on: what was unexpected, where, and what to write instead.

lark reports which terminals it expected; authors need "use 'and'", "comparisons cannot be
chained" or "the text is not closed". Each kind of lark error has its own describer here.
"""

from __future__ import annotations

import re

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from survey.questionnaire.expr.tree import ExprError, _quote

_VALUE_TOKENS = {
    "NAME", "XREF", "CELL", "NUMBER", "STRING", "TRUE", "FALSE", "NULL", "LSQB", "DOT",
}
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


def syntax_error(source: str, error: UnexpectedInput) -> ExprError:
    """The ExprError for what lark could not parse, pointing at the offending fragment."""
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        return _incomplete(source, error)
    if isinstance(error, UnexpectedToken):
        position, fragment, expected = _unexpected_token(source, error)
    else:
        assert isinstance(error, UnexpectedCharacters)
        position, fragment, expected = _unexpected_character(source, error)
    whole = _quote(source.strip())
    hint = _hint(fragment, expected)
    return ExprError(f"unexpected {_quote(fragment)} in {whole}: {hint}", position, fragment)


def _incomplete(source: str, error: UnexpectedInput) -> ExprError:
    """The expression stops where more was needed: point at its last word."""
    expected = _describe_expected(_expected(error))
    tail = source.rstrip()
    last = tail.split()[-1]
    return ExprError(
        f"incomplete expression {_quote(source.strip())}: expected {expected}"
        f" after {_quote(last)}",
        len(tail) - len(last),
        last,
    )


def _unexpected_token(source: str, error: UnexpectedToken) -> tuple[int, str, str]:
    """Position, fragment and what was expected instead, for a token in the wrong place."""
    position = error.token.start_pos or 0
    fragment = str(error.token)
    accepted = _expected(error)
    expected = _describe_expected(accepted)
    if fragment == "=" and source[:position].rstrip().endswith("="):
        end = position + 1
        position = source.rindex("=", 0, position)
        return position, source[position:end], "use '=' to compare"
    if error.token.type in ("COMPARE", "IN") and not accepted & (_VALUE_TOKENS | {"COMPARE"}):
        expected = "comparisons cannot be chained; join them with 'and'"
    return position, fragment, expected


def _unexpected_character(source: str, error: UnexpectedCharacters) -> tuple[int, str, str]:
    """Position and fragment of text the language has no token for (a word or a sign)."""
    position = error.pos_in_stream
    match = re.compile(r"&&|\|\||[A-Za-z_][A-Za-z0-9_]*|\S").match(source, position)
    fragment = match.group() if match else source[position : position + 1]
    return position, fragment, ""


def _hint(fragment: str, expected: str) -> str:
    """What to write instead; the most specific advice wins."""
    if expected.startswith(("use", "comparisons")):
        return expected
    if fragment in ("'", '"'):
        return "the text is not closed by a matching quote"
    if fragment.lower() in _KEYWORDS and fragment != fragment.lower():
        return f"keywords are lowercase: use {fragment.lower()!r}"
    if fragment != fragment.lower() and re.fullmatch(r"\w+", fragment):
        return "names are lowercase"
    if fragment in _HINTS:
        return _HINTS[fragment]
    if expected:
        return f"expected {expected}"
    return "this character is not part of the language"
