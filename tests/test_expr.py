"""The expression language of relevant/constraint: parsing, checks, evaluation, safety."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.questionnaire.expr import (
    BinOp,
    Call,
    Cell,
    ExprError,
    ListExpr,
    Literal,
    Neg,
    Not,
    Ref,
    SelfRef,
    check,
    evaluate,
    parse,
    references,
    to_json,
    truthy,
)

KINDS = {
    "age": "number",
    "name": "string",
    "start": "date",
    "consent": "boolean",
    "areas": "list",
    "risk": "matrix",
    "intro": "none",
    "sector": "string",
}
ROWS = {"risk": {"domestic", "youth"}}


def ev(source: str, answers: dict | None = None, self_value: object = None) -> object:
    return evaluate(parse(source), answers or {}, self_value)


def problems(source: str, self_kind: str | None = None) -> list[ExprError]:
    return check(parse(source), KINDS, ROWS, self_kind, source=source)


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("source", "tree"),
    [
        ("3", Literal(3)),
        ("2.5", Literal(2.5)),
        ("'a b'", Literal("a b")),
        ('"it\'s"', Literal("it's")),
        (r"'it\'s'", Literal("it's")),
        ("true", Literal(True)),
        ("false", Literal(False)),
        ("null", Literal(None)),
        ("['a', 2]", ListExpr((Literal("a"), Literal(2)))),
        ("[]", ListExpr(())),
        ("risk_domestic", Ref("risk_domestic")),
        ("risk.domestic", Cell("risk", "domestic")),
        (".", SelfRef()),
        ("not a", Not(Ref("a"))),
        ("-a", Neg(Ref("a"))),
        ("a in ['x']", BinOp("in", Ref("a"), ListExpr((Literal("x"),)))),
        ("a not in b", BinOp("not in", Ref("a"), Ref("b"))),
        ("today()", Call("today", ())),
        ("selected(a, 'x')", Call("selected", (Ref("a"), Literal("x")))),
        ("notes", Ref("notes")),  # a keyword prefix is still a name
        ("or_else", Ref("or_else")),
    ],
)
def test_parse_each_construct(source: str, tree: object) -> None:
    assert parse(source) == tree


@pytest.mark.parametrize("op", ["=", "!=", "<", "<=", ">", ">="])
def test_parse_each_comparison(op: str) -> None:
    assert parse(f"a {op} 1") == BinOp(op, Ref("a"), Literal(1))


@pytest.mark.parametrize(
    ("source", "grouped"),
    [
        ("a or b and c", "a or (b and c)"),
        ("a and b or c", "(a and b) or c"),
        ("not a and b", "(not a) and b"),
        ("not a = 1", "not (a = 1)"),
        ("a = 1 + 2", "a = (1 + 2)"),
        ("1 + 2 * 3", "1 + (2 * 3)"),
        ("1 - 2 - 3", "(1 - 2) - 3"),
        ("8 / 4 / 2", "(8 / 4) / 2"),
        ("-a * b", "(-a) * b"),
        ("a * -b", "a * (-b)"),
        ("a in ['x'] or b", "(a in ['x']) or b"),
        ("not a not in b", "not (a not in b)"),
    ],
)
def test_precedence(source: str, grouped: str) -> None:
    assert parse(source) == parse(grouped)


def test_parentheses_override_precedence() -> None:
    assert parse("(1 + 2) * 3") == BinOp("*", BinOp("+", Literal(1), Literal(2)), Literal(3))
    assert ev("(1 + 2) * 3") == 9
    assert ev("1 + 2 * 3") == 7


@pytest.mark.parametrize(
    "source",
    [
        "a or b and not c = 1",
        "(a or b) and c",
        "a - (b - c)",
        "-(a + 1) * 2",
        "not not a",
        "x in ['a', 'b'] and count(y) >= 2",
        r"name = 'it\'s \\ fine'",
        "risk.domestic != null or . > today()",
    ],
)
def test_str_prints_source_that_parses_back_to_the_same_tree(source: str) -> None:
    tree = parse(source)
    assert parse(str(tree)) == tree


def test_nodes_know_their_source_span() -> None:
    source = "age > 3 and  count(areas) = 2"
    tree = parse(source)
    assert isinstance(tree, BinOp)
    right = tree.right
    assert source[right.start : right.end] == "count(areas) = 2"
    assert source[tree.left.start : tree.left.end] == "age > 3"


def test_keywords_are_case_sensitive() -> None:
    with pytest.raises(ExprError) as error:
        parse("a AND b")
    assert error.value.fragment == "AND"
    assert error.value.position == 2
    assert "lowercase" in error.value.message


@pytest.mark.parametrize(
    ("source", "fragment", "position", "said"),
    [
        ("a ==b", "==", 2, "use '='"),
        ("1 2", "2", 2, "expected an operator"),
        ("a = 1 = 2", "=", 6, "cannot be chained"),
        ("a < b in c", "in", 6, "cannot be chained"),
        ("= 3", "=", 0, "expected a value"),
        ("a && b", "&&", 2, "use 'and'"),
        ("!a", "!", 0, "use 'not'"),
        ("'abc", "'", 0, "not closed"),
        ("a = ", "=", 2, "expected a value"),
        ("count(a", "count(a", 0, "')'"),
        ("Risk = 1", "Risk", 0, "lowercase"),
        ("a.b.c", ".", 3, "expected an operator"),
        ("a = #", "#", 4, "not part of the language"),
    ],
)
def test_syntax_errors_name_the_offending_fragment(
    source: str, fragment: str, position: int, said: str
) -> None:
    with pytest.raises(ExprError) as error:
        parse(source)
    assert error.value.fragment == fragment
    assert error.value.position == position
    assert said in error.value.message
    assert repr(fragment) in error.value.message or f"'{fragment}'" in error.value.message


@pytest.mark.parametrize("source", ["", "   "])
def test_empty_expression_is_an_error(source: str) -> None:
    with pytest.raises(ExprError, match="empty expression"):
        parse(source)


def test_unknown_function_and_wrong_arity_fail_at_parse_time() -> None:
    with pytest.raises(ExprError) as error:
        parse("a = 1 or eval(1)")
    assert error.value.message.startswith("unknown function 'eval' in 'eval(1)'")
    assert (error.value.position, error.value.fragment) == (9, "eval(1)")
    with pytest.raises(ExprError) as error:
        parse("selected(a)")
    assert "selected() takes 2 arguments but got 1" in error.value.message
    assert error.value.fragment == "selected(a)"


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        "__import__('os').system('ls')",
        "().__class__",
        "a.__class__.__mro__",
        "''.__class__.__mro__[1].__subclasses__()",
        "1 if 1 else 2",
        "lambda: 1",
        "lambda x: x",
        "[x for x in a]",
        "open('/etc/passwd').read()",
        "getattr(a, 'b')",
        "a[0]",
        "a; b",
        "a = 1\nimport os",
        "f'{a}'",
        "2 ** 1000000",
        "exec('1')",
        "{}",
    ],
)
def test_hostile_input_is_rejected(source: str) -> None:
    with pytest.raises(ExprError):
        parse(source)


def test_a_dunder_row_is_only_a_matrix_lookup() -> None:
    """``a.__class__`` is valid syntax (a matrix cell), but reads nothing but data."""
    tree = parse("a.__class__")
    assert tree == Cell("a", "__class__")
    assert evaluate(tree, {"a": "text"}) is None
    assert evaluate(tree, {"a": {"__class__": "x"}}) == "x"
    assert check(tree, {"a": "string"}, source="a.__class__")[0].fragment == "a.__class__"


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(ExprError, match="nested too deeply"):
        parse("-" * 3000 + "1")
    with pytest.raises(ExprError):
        parse("not " * 3000 + "a")
    assert ev("(" * 500 + "1" + ")" * 500) == 1  # parentheses alone add no depth


# --------------------------------------------------------------------------- references


def test_references_lists_question_names() -> None:
    tree = parse("a = 1 and risk.youth = 'x' or selected(b, 'y') and . > c and 'd' in e")
    assert references(tree) == {"a", "risk", "b", "c", "e"}
    assert references(parse(". > 3")) == set()


# --------------------------------------------------------------------------- evaluation


def test_literals_and_lists() -> None:
    assert ev("2.5") == 2.5
    assert ev("'x'") == "x"
    assert ev("null") is None
    assert ev("['a', 1 + 1]") == ["a", 2]


def test_references_read_answers() -> None:
    answers = {"age": 40, "risk": {"domestic": "high"}}
    assert ev("age", answers) == 40
    assert ev("risk.domestic", answers) == "high"
    assert ev("risk.youth", answers) is None
    assert ev("missing", answers) is None
    assert ev("age.domestic", answers) is None  # row access on a non-matrix gives nothing


def test_empty_answers_count_as_unanswered() -> None:
    for value in ("", [], {}, None):
        assert ev("a = null", {"a": value}) is True
    assert ev("a = null", {"a": 0}) is False
    assert ev("a = null", {"a": False}) is False


def test_self_reference_in_constraint() -> None:
    assert ev(". >= 0 and . <= 120", {}, 42) is True
    assert ev(". >= 0 and . <= 120", {}, 121) is False
    assert ev("length(.) <= 3", {}, "abcd") is False
    assert ev(". <= today()", {}, "2020-06-01") is True


def test_arithmetic() -> None:
    assert ev("7 / 2") == 3.5
    assert ev("2 * 3 - 1") == 5
    assert ev("-a + 1", {"a": 4}) == -3
    assert ev("a + 1", {"a": "2"}) == 3  # numeric strings are numbers


@pytest.mark.parametrize(
    "source", ["a + 1", "1 - a", "a * 2", "2 / a", "-a", "a + 'x'", "true + 1", "1 / 0", "a / 0"]
)
def test_none_and_nonsense_propagate_through_arithmetic(source: str) -> None:
    assert ev(source, {"a": None}) is None


@pytest.mark.parametrize("op", ["=", "!=", "<", "<=", ">", ">=", "in", "not in"])
def test_comparisons_with_unanswered_are_false(op: str) -> None:
    right = "['x']" if "in" in op else "1"
    assert ev(f"a {op} {right}") is False
    assert ev(f"1 {op} a") is False


def test_null_tests() -> None:
    assert ev("a = null") is True
    assert ev("a != null") is False
    assert ev("a = null", {"a": 1}) is False
    assert ev("a != null", {"a": 1}) is True
    assert ev("null = a", {"a": 1}) is False
    assert ev("null = null") is True
    assert ev("a = b") is False  # two unanswered questions are not "equal"


def test_comparisons() -> None:
    answers = {"n": 5, "s": "5", "t": "abc", "d": "2020-06-15", "b": True}
    assert ev("n = s", answers) is True  # numeric strings compare numerically
    assert ev("'10' > 9") is True
    assert ev("'10' > '9'") is True
    assert ev("t = 'abc' and t != 'abd' and t < 'abd'", answers) is True
    assert ev("t > 3", answers) is False
    assert ev("t = 3", answers) is False
    assert ev("t != 3", answers) is True
    assert ev("d >= '2020-06-01' and d < '2020-07-01'", answers) is True
    assert ev("b = true and b != false", answers) is True
    assert ev("b = 1", answers) is False  # a yes/no answer is not a number
    assert ev("b > false", answers) is False


def test_membership() -> None:
    answers = {"sector": "police", "areas": ["youth", "alcohol"], "n": 3}
    assert ev("sector in ['police', 'region']", answers) is True
    assert ev("sector not in ['police', 'region']", answers) is False
    assert ev("'youth' in areas", answers) is True
    assert ev("'work' not in areas", answers) is True
    assert ev("n in ['1', '3']", answers) is True
    assert ev("'x' in sector", answers) is False  # no substring search
    assert ev("'x' not in sector", answers) is False


def test_boolean_logic_uses_truthiness() -> None:
    assert ev("a and b", {"a": 1, "b": "x"}) is True
    assert ev("a or b", {"a": 0, "b": ""}) is False
    assert ev("not a", {"a": []}) is True
    assert ev("not a", {"a": "0"}) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        (False, False),
        (True, True),
        (0, False),
        (0.0, False),
        (float("nan"), False),
        (2, True),
        ("", False),
        ("0", True),
        ([], False),
        (["a"], True),
        ({}, False),
        ({"r": "x"}, True),
    ],
)
def test_truthy(value: object, expected: bool) -> None:
    assert truthy(value) is expected


def test_empty() -> None:
    for value in (None, "", [], {}):
        assert evaluate(parse("empty(a)"), {"a": value}) is True
    for value in ("x", ["a"], {"r": "x"}, 0, False):
        assert evaluate(parse("empty(a)"), {"a": value}) is False
    assert ev("empty(a)") is True
    assert ev("empty('')") is True


def test_selected() -> None:
    answers = {"areas": ["youth", "alcohol"], "sector": "police", "scale": 3}
    assert ev("selected(areas, 'youth')", answers) is True
    assert ev("selected(areas, 'work')", answers) is False
    assert ev("selected(sector, 'police')", answers) is True
    assert ev("selected(sector, 'region')", answers) is False
    assert ev("selected(scale, '3')", answers) is True
    assert ev("selected(missing, 'x')", answers) is False
    assert ev("selected(areas, null)", answers) is False


def test_count() -> None:
    assert ev("count(a)", {"a": ["x", "y"]}) == 2
    assert ev("count(a)") == 0
    assert ev("count(m)", {"m": {"r1": "high", "r2": None, "r3": ""}}) == 1
    assert ev("count(['a', 'b', 'c'])") == 3
    assert ev("count(a)", {"a": "single"}) == 1


def test_length() -> None:
    assert ev("length(a)", {"a": "åäö"}) == 3
    assert ev("length(a)", {"a": "a\r\nb"}) == 3  # a line break counts once, as in the browser
    assert ev("length(a)") == 0
    assert ev("length(a)", {"a": 12}) is None


def test_today() -> None:
    assert ev("today()") == dt.date.today().isoformat()
    assert ev("d < today()", {"d": "2020-06-01"}) is True
    assert ev("d < today()", {"d": dt.date(2020, 6, 1)}) is True  # date objects read as ISO


def test_matrix_cells() -> None:
    answers = {"risk": {"domestic": "4", "youth": "low"}}
    assert ev("risk.domestic >= 3", answers) is True
    assert ev("risk.youth = 'low' and risk.domestic != 'low'", answers) is True
    assert ev("risk.youth >= 3", answers) is False
    assert ev("risk.other = null", answers) is True


def test_huge_and_odd_numbers_do_not_raise() -> None:
    assert ev("a / 3", {"a": 10**400}) == float("inf")
    assert ev("a + 1", {"a": float("nan")}) != 0
    assert ev("a > 1", {"a": "9" * 400}) is True
    assert ev("a * a > 0", {"a": 1e308}) is True


# --------------------------------------------------------------------------- static checks


def assert_one_problem(source: str, fragment: str, said: str, self_kind: str | None = None) -> None:
    found = problems(source, self_kind)
    assert len(found) == 1, found
    assert found[0].fragment == fragment
    assert found[0].position == source.index(fragment)
    assert said in found[0].message
    assert source in found[0].message


def test_valid_expressions_have_no_problems() -> None:
    for source in (
        "age >= 18 and consent = true",
        "selected(areas, 'youth') or count(areas) > 2",
        "risk.domestic in ['3', '4'] or risk.youth >= 3",
        "start <= today() and start >= '2020-01-01'",
        "empty(name) or length(name) < 100",
        "sector = 'police' and not empty(risk)",
        "age = '18'",
        "count(risk) = 2",
    ):
        assert problems(source) == [], source
    assert problems(". > age", self_kind="number") == []
    assert problems("count(.) <= 3", self_kind="list") == []


def test_check_unknown_reference() -> None:
    assert_one_problem("consent = true and agee > 3", "agee", "unknown question 'agee'")
    assert "did you mean 'age'?" in problems("agee > 3")[0].message
    assert_one_problem("nothing.row = '1'", "nothing.row", "unknown question 'nothing'")


def test_check_unknown_matrix_row() -> None:
    assert_one_problem("risk.violence = '1'", "risk.violence", "has no row 'violence'")
    assert "rows: domestic, youth" in problems("risk.violence = '1'")[0].message


def test_check_rows_are_optional() -> None:
    tree = parse("risk.violence = '1'")
    assert check(tree, KINDS) == []


def test_check_row_on_non_matrix() -> None:
    assert_one_problem("age.domestic = '1'", "age.domestic", "'age' is not a matrix question")


def test_check_self_outside_constraint() -> None:
    assert_one_problem("age > 3 or . > 3", ".", "only allowed in a constraint")


def test_check_note_has_no_answer() -> None:
    assert_one_problem("intro = 'x'", "intro", "is a note and has no answer")


def test_check_unknown_function_and_arity() -> None:
    """parse() already refuses these; check() reports them too for hand-built trees."""
    found = check(BinOp("or", Call("eval", (Literal(1),)), Call("count", ())), KINDS)
    assert [problem.fragment for problem in found] == ["eval(1)", "count()"]
    assert found[0].message.startswith("unknown function 'eval' in 'eval(1)'")
    assert "count() takes 1 argument but got 0" in found[1].message


@pytest.mark.parametrize(
    ("source", "fragment", "said"),
    [
        ("name + 1 > 2", "name + 1", "arithmetic needs numbers, but 'name' is text"),
        ("-start < 0", "-start", "arithmetic needs numbers, but 'start' is a date"),
        ("age < 'x'", "age < 'x'", "cannot compare a number with text using '<'"),
        ("start > 3", "start > 3", "cannot compare a date with a number"),
        ("areas = 'youth'", "areas = 'youth'", "use selected(question, 'value')"),
        ("consent > false", "consent > false", "cannot use '>' on a yes/no value"),
        ("consent = 'y'", "consent = 'y'", "cannot compare a yes/no value with text"),
        ("risk = '1'", "risk = '1'", "compare one row as question.row"),
        ("age < null", "age < null", "cannot compare a number with null"),
        ("'a' in name", "'a' in name", "'in' needs a list on the right"),
        ("areas in ['a']", "areas in ['a']", "needs a single value on the left"),
        ("selected(consent, 'y')", "selected(consent, 'y')", "needs a choice question"),
        ("selected(areas, ['a'])", "selected(areas, ['a'])", "needs an option value"),
        ("count(name) > 1", "count(name)", "count() needs a multiple-choice or matrix"),
        ("length(areas) > 1", "length(areas)", "use count() for a list"),
    ],
)
def test_check_type_mismatches(source: str, fragment: str, said: str) -> None:
    assert_one_problem(source, fragment, said)


def test_check_returns_every_problem_in_source_order() -> None:
    source = "agee > 1 and name + 1 > 2 or . = 3 and risk.nope = '1'"
    found = problems(source)
    assert [p.fragment for p in found] == ["agee", "name + 1", ".", "risk.nope"]
    assert [p.position for p in found] == [0, 13, 29, 39]


def test_check_without_source_prints_the_tree() -> None:
    found = check(parse("age < 'x'"), KINDS)
    assert found[0].fragment == "age < 'x'"
    assert "in 'age < 'x''" in found[0].message


def test_boolean_context_accepts_any_value() -> None:
    assert problems("name and areas or not risk and age") == []


# --------------------------------------------------------------------------- JSON


def test_to_json_is_plain_json() -> None:
    tree = parse("not (a.b in ['x', 1.5]) or -count(.) >= today() and c != null")
    data = to_json(tree)
    assert json.loads(json.dumps(data)) == data
    assert data["type"] == "op" and data["op"] == "or"
    assert data["left"] == {
        "type": "not",
        "operand": {
            "type": "op",
            "op": "in",
            "left": {"type": "cell", "name": "a", "row": "b"},
            "right": {
                "type": "list",
                "items": [{"type": "literal", "value": "x"}, {"type": "literal", "value": 1.5}],
            },
        },
    }
    call = data["right"]["left"]["left"]["operand"]
    assert call == {"type": "call", "name": "count", "args": [{"type": "self"}]}


# --------------------------------------------------------------------------- properties

ANSWER_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["", "0", "3", "-2.5", "2020-06-01", "youth", "1e5", "nan"])
    | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
ANSWERS = st.dictionaries(
    st.sampled_from(["a", "b", "m", "areas", "other"]), ANSWER_VALUES, max_size=5
)
FIXED = [
    parse(source)
    for source in (
        "a + b * 2 - -a / b > 3",
        "a = b or a != null and b < 'x'",
        "a in ['x', 1, null] or a not in areas or 'x' in a",
        "selected(areas, 'youth') and count(m) > 1 and count(a) < length(b)",
        "empty(a) or not empty(m.row) and m.row >= 3",
        "length(a) + count(areas) / 0 = null",
        "a <= today() and . >= a",
        "not (a and b) or (a or b) and -(a) = . * 2",
    )
]


@settings(max_examples=150, database=None, deadline=None)
@given(answers=ANSWERS, self_value=ANSWER_VALUES)
def test_evaluate_never_raises_on_any_answers(answers: dict, self_value: object) -> None:
    for tree in FIXED:
        result = evaluate(tree, answers, self_value)
        assert isinstance(truthy(result), bool)


@settings(max_examples=100, database=None, deadline=None)
@given(st.text(alphabet="ab.() =<!-+*/'[],notandrcu0123", max_size=25))
def test_parse_either_succeeds_or_raises_expr_error(source: str) -> None:
    try:
        tree = parse(source)
    except ExprError as error:
        assert 0 <= error.position <= len(source)
        assert error.message
    else:
        assert parse(str(tree)) == tree


# --------------------------------------------------------------------------- ${name}
# XLSForm writes a reference as ${name}; the language takes it as a synonym, so imported
# forms need no rewriting and the browser gets exactly the tree it gets for `name`.


@pytest.mark.parametrize(
    ("xlsform", "plain"),
    [
        ("${age}", "age"),
        ("${age} >= 18", "age >= 18"),
        ("${consent} = true and ${age} > 17", "consent = true and age > 17"),
        ("selected(${areas}, 'youth')", "selected(areas, 'youth')"),
        ("${name} in ['a', 'b'] or not empty(${start})", "name in ['a', 'b'] or not empty(start)"),
        ("${age} + age * 2", "age + age * 2"),
    ],
)
def test_dollar_reference_is_a_plain_reference(xlsform: str, plain: str) -> None:
    tree = parse(xlsform)
    assert tree == parse(plain)
    assert to_json(tree) == to_json(parse(plain))  # what static/relevant.js reads
    assert json.dumps(to_json(tree)) == json.dumps(to_json(parse(plain)))
    assert str(tree) == plain
    assert references(tree) == references(parse(plain))
    assert check(tree, KINDS, source=xlsform) == []


def test_dollar_reference_evaluates_like_a_plain_reference() -> None:
    assert evaluate(parse("${age} >= 18"), {"age": 20}) is True
    assert evaluate(parse("${age} >= 18"), {}) is False
    assert to_json(parse("${age}")) == {"type": "ref", "name": "age"}


def test_dollar_reference_spans_and_checks_point_at_what_was_written() -> None:
    source = "${agee} > 1"
    tree = parse(source)
    assert isinstance(tree, BinOp) and (tree.left.start, tree.left.end) == (0, 7)
    [problem] = check(tree, KINDS, source=source)
    assert problem.fragment == "${agee}" and "unknown question 'agee'" in problem.message


@pytest.mark.parametrize("source", ["${age", "${Age} > 1", "${} = 1", "$age = 1", "${age.row}"])
def test_malformed_dollar_references_are_syntax_errors(source: str) -> None:
    with pytest.raises(ExprError) as caught:
        parse(source)
    assert 0 <= caught.value.position <= len(source)
    assert caught.value.message
