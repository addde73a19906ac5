"""`lagesbild scan-personal-data`: JSON Lines in, one line of findings out per line in."""

from __future__ import annotations

import json

from click.testing import CliRunner

from survey.cli import cli


def _run(stdin: str, *args: str):
    result = CliRunner().invoke(cli, ["scan-personal-data", *args], input=stdin)
    return result, [json.loads(line) for line in result.stdout.splitlines()]


def test_findings_have_kind_and_exact_offsets():
    text = "Ring 070-123 45 67 eller mejla anna@example.se om 19121212-1212."
    result, rows = _run(json.dumps({"id": "a", "text": text}) + "\n")
    assert result.exit_code == 0, result.output
    (row,) = rows
    assert row["id"] == "a"
    found = {(f["kind"], text[f["start"]:f["end"]]) for f in row["findings"]}
    assert found == {("phone", "070-123 45 67"), ("email", "anna@example.se"),
                     ("personnummer", "19121212-1212")}
    assert set(row["findings"][0]) == {"kind", "start", "end"}


def test_statistics_and_diary_numbers_give_no_findings(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 7, "text": "Anmälningarna ökade från 1 234 till "
                                "1 567 (dnr 2020-1234, 12 000 kr)."}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan-personal-data", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"id": 7, "findings": []}


def test_a_bad_line_is_an_error_line_in_its_place():
    stdin = "\n".join([json.dumps({"id": 1, "text": "Inget här."}), "not json",
                       json.dumps({"id": 3, "text": "Mejla bo@example.se"})]) + "\n"
    result, rows = _run(stdin)
    assert result.exit_code == 1
    assert [r.get("id") for r in rows] == [1, None, 3]
    assert rows[1]["line"] == 2 and "invalid JSON" in rows[1]["error"]
    assert rows[2]["findings"][0]["kind"] == "email"


def test_explain_adds_the_passage_and_swedish_advice():
    _result, rows = _run(json.dumps({"id": 1, "text": "en 13-årig flicka berättade"}) + "\n",
                         "--explain")
    finding = rows[0]["findings"][0]
    assert finding["kind"] == "individual_case" and finding["text"] == "en 13-årig flicka"
    assert finding["explanation"]
