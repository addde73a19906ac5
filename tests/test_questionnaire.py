"""Loading questionnaires: `lagesbild check` for valid files and for every error kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey.cli import cli
from survey.questionnaire import loader

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))


def test_real_questionnaire_and_all_types_fixture_pass_check():
    result = CliRunner().invoke(cli, ["check", str(ROOT / "questionnaires" / "lagesbild-2020.yaml"),
                                      str(FIXTURES / "all-types.yaml")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "" or "OK" in result.output


def test_every_error_kind_has_a_fixture():
    kinds = {path.stem for path in BAD}
    assert len(kinds) >= 24
    for expected in ("duplicate-name", "unknown-type", "missing-options", "expression-syntax",
                     "unknown-reference", "relevance-cycle", "expression-type-error"):
        assert expected in kinds


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_check_reports_file_and_line(path: Path):
    expect = re.match(r"# expect: (\d+): (.*)", path.read_text(encoding="utf-8").splitlines()[0])
    assert expect, f"{path.name} lacks its '# expect:' line"
    line, fragment = int(expect.group(1)), expect.group(2).strip()
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    problems = [p for p in result.output.splitlines() if p.strip()]
    assert problems, result.output
    first = problems[0]
    assert first.startswith(f"{path}:{line}: "), first
    assert fragment in first, first


def test_check_lists_every_problem_of_several_files(tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text("id: x\nversion: '1'\ntitle: T\npages:\n  - name: p\n    title: P\n"
                   "    questions:\n      - {name: a, type: text, label: A}\n"
                   "      - {name: a, type: txt, label: B}\n", encoding="utf-8")
    two = tmp_path / "two.yaml"
    two.write_bytes(b"id: \xff\n")
    result = CliRunner().invoke(cli, ["check", str(one), str(two)])
    assert result.exit_code == 1
    assert f"{one}:9: unknown question type 'txt'" in result.output
    assert f"{two}:1: file is not valid UTF-8" in result.output


def test_bad_expression_names_offending_part(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(
        "id: x\nversion: '1'\ntitle: T\npages:\n  - name: p\n    title: P\n    questions:\n"
        "      - {name: a, type: number, label: A}\n"
        "      - name: b\n        type: text\n        label: B\n"
        "        relevant: \"a > 1 and __import__('os')\"\n", encoding="utf-8")
    problems = loader.check(path)
    assert len(problems) == 1
    assert problems[0].line == 12
    assert "__import__" in problems[0].message


def test_loaded_model_pins_source_and_hash():
    path = ROOT / "questionnaires" / "lagesbild-2020.yaml"
    questionnaire = loader.load(path)
    assert questionnaire.source == path.read_text(encoding="utf-8")
    assert len(questionnaire.hash) == 64
    assert questionnaire.page("assessment").questions[0].name == "risk_level"
    names = [q.name for q in questionnaire.questions]
    assert len(names) == len(set(names))
    coded = [q for q in questionnaire.questions if q.code_with]
    assert {q.code_with for q in coded} == {"risks", "measures"}
