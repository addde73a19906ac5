"""Codebooks: the shipped ones are valid and keep the contract ids; errors carry file:line."""

from __future__ import annotations

import textwrap

import pytest

from coding.codebook import (
    CONTRACT_THEMES,
    CodebookError,
    codebook_check,
    codebook_path,
    list_codebooks,
    load_codebook,
)

VALID = """\
codebook: {name}
version: "1"
themes:
  - id: thing
    label: {{sv: Sak, en: Thing}}
    definition: A thing.
    patterns:
      - sak
      - {{prefix: sak}}
"""


def write(tmp_path, text: str, name: str = "mybook"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_shipped_codebooks_are_valid_and_keep_the_contract_ids():
    assert list_codebooks() == ["measures", "risks"]
    for name in list_codebooks():
        assert codebook_check(codebook_path(name)) == []
        book = load_codebook(name)
        assert set(book.theme_ids) == CONTRACT_THEMES[name]
        for theme in book.themes:
            assert theme.label["sv"] and theme.label["en"] and theme.definition
            assert theme.examples and theme.patterns


def test_examples_in_the_codebook_are_found_by_its_own_rules():
    from coding.coder import rules_only_coder

    for name in list_codebooks():
        coder = rules_only_coder(name)
        for theme in coder.codebook.themes:
            for example in theme.examples:
                found = {c.code for c in coder.code(example) if not c.negated}
                assert theme.id in found, (name, example)


def test_unknown_codebook_is_a_clear_error():
    with pytest.raises(CodebookError, match="okänd kodbok 'nope'.*measures, risks"):
        load_codebook("nope")


def test_a_codebook_file_can_be_loaded_by_path(tmp_path):
    book = load_codebook(write(tmp_path, VALID.format(name="mybook")))
    assert book.theme_ids == ["thing"] and book.digest


@pytest.mark.parametrize(("text", "line", "message"), [
    ("codebook: mybook\nthemes: [\n", 3, "ogiltig YAML"),
    (VALID.format(name="other"), 1, "stämmer inte med filnamnet"),
    (VALID.format(name="mybook").replace("definition: A thing.", "defintion: A thing."),
     6, "okänd nyckel 'defintion'"),
    (VALID.format(name="mybook").replace("en: Thing", "fr: Chose"), 5, "saknar 'en'"),
    (VALID.format(name="mybook").replace("- {prefix: sak}", "- {prefix: sa}"), 9,
     "minst 3 tecken"),
    (VALID.format(name="mybook").replace("- {prefix: sak}", "- {tokens: [{LOWER: x, OP: '+'}]}"),
     9, "bara OP '?'"),
    (VALID.format(name="mybook").replace("- {prefix: sak}", "- {tokens: [{SHAPE: x}]}"), 9,
     "okänt tokenattribut 'SHAPE'"),
    (VALID.format(name="mybook").replace("- {prefix: sak}", "- {near: [[a]]}"), 9,
     "två icke-tomma listor"),
    (VALID.format(name="mybook").replace("- {prefix: sak}", "- {prefix: sak, negation: maybe}"),
     9, "'negation' ska vara en av"),
    (VALID.format(name="mybook").replace("- {prefix: sak}", "- {prefix: sak, context: ung}"),
     9, "'context' ska vara en icke-tom lista"),
    (VALID.format(name="mybook").replace("- {prefix: sak}", "- {prefix: sak, context: []}"),
     9, "'context' ska vara en icke-tom lista"),
    (VALID.format(name="mybook") + VALID.format(name="mybook").split("themes:\n")[1], 10,
     "förekommer två gånger"),
])
def test_codebook_errors_point_at_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    problems = codebook_check(path)
    assert any(p.startswith(f"{path}:{line}: ") and message in p for p in problems), problems
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert caught.value.file == str(path) and caught.value.line


def test_contract_codebook_must_keep_its_theme_ids(tmp_path):
    path = write(tmp_path, VALID.format(name="risks"), name="risks")
    problems = codebook_check(path)
    assert any("saknas domestic_violence" in p and "okända thing" in p for p in problems)


def test_check_collects_every_problem_not_just_the_first(tmp_path):
    text = VALID.format(name="mybook").replace("en: Thing", "fr: x").replace(
        "- {prefix: sak}", "- {prefix: s}")
    assert len(codebook_check(write(tmp_path, text))) == 2
