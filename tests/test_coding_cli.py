"""`lagesbild code` and `lagesbild coding evaluate|train|run`, through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from coding import clear_cache, get_coder
from survey.cli.coding import code, coding


@pytest.fixture
def runner():
    return CliRunner()


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_code_writes_one_line_per_input_in_order(runner):
    stdin = "\n".join([
        json.dumps({"id": "a", "text": "Inga sommarjobb i år."}),
        json.dumps({"id": "b", "text": ""}),
        json.dumps({"id": 3, "text": "Ökat våld i hemmen."}),
    ]) + "\n"
    result = runner.invoke(code, [], input=stdin)
    assert result.exit_code == 0, result.output
    rows = lines(result.stdout)
    assert [r["id"] for r in rows] == ["a", "b", 3]
    assert [c["code"] for c in rows[0]["codes"]] == ["youth_idleness"]
    assert rows[1]["codes"] == []
    first = rows[0]["codes"][0]
    assert set(first) == {"code", "score", "negated", "source", "start", "end", "evidence",
                          "direction"}
    assert rows[2]["codes"][0]["direction"] == "increase"


def test_invalid_lines_are_reported_and_the_rest_still_coded(runner, tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": 1, "text": "Fler orosanmälningar."}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": 4, "text": 17}),
        json.dumps({"id": 5}),
        json.dumps({"id": 6, "text": "Ensamheten ökar."}),
    ]) + "\n", encoding="utf-8")
    result = runner.invoke(code, [str(path), "--codebook", "risks"])
    assert result.exit_code == 1
    rows = lines(result.stdout)
    assert len(rows) == 6
    assert rows[0]["codes"][0]["code"] == "vulnerable_children"
    assert [r.get("line") for r in rows[1:5]] == [2, 3, 4, 5]
    assert rows[3]["id"] == 4 and "sträng" in rows[3]["error"]
    assert rows[5]["codes"][0]["code"] == "isolation"
    assert "rad 2 (line 2): ogiltig JSON" in result.stderr


def test_unknown_codebook_is_a_usage_error(runner):
    result = runner.invoke(code, ["--codebook", "nonsense"], input="")
    assert result.exit_code == 2
    assert "okänd kodbok 'nonsense'" in result.stderr


def test_code_with_a_corrupt_model_warns_and_uses_rules(runner, tmp_path):
    folder = tmp_path / "risks"
    folder.mkdir()
    (folder / "current").write_text("v1\n")
    (folder / "v1").mkdir()
    (folder / "v1" / "model.json").write_text("{not json", encoding="utf-8")
    clear_cache()
    result = runner.invoke(code, ["--model-dir", str(tmp_path)],
                           input=json.dumps({"id": 1, "text": "Ökat spelmissbruk."}) + "\n")
    assert result.exit_code == 0
    assert "enbart regler" in result.stderr and "corrupt" in result.stderr
    assert lines(result.stdout)[0]["codes"][0]["source"] == "rule"


def write_labelled(path, rows) -> None:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")


LABELLED = [
    {"id": "t1", "text": "Ökat våld i nära relationer.", "labels": ["domestic_violence"],
     "negated": []},
    {"id": "t2", "text": "Vi ser ingen ökning av missbruk.", "labels": [],
     "negated": ["substance_abuse"]},
    {"id": "t3", "text": "Inga sommarjobb och ökad ensamhet.",
     "labels": ["youth_idleness", "isolation"], "negated": []},
]


def test_evaluate_prints_per_theme_scores_and_summaries(runner, tmp_path):
    path = tmp_path / "risks-sample.jsonl"
    write_labelled(path, LABELLED)
    result = runner.invoke(coding, ["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for section in ("[rules]", "[model]", "[combined]"):
        assert section in out
    assert "domestic_violence" in out and "macro-F1" in out and "micro-F1" in out
    assert "negation accuracy 1.000" in out


def test_evaluate_json_and_split_filter(runner, tmp_path):
    path = tmp_path / "sample.jsonl"
    rows = [dict(r, split="test" if r["id"] == "t1" else "train") for r in LABELLED]
    write_labelled(path, rows)
    result = runner.invoke(coding, ["evaluate", str(path), "--split", "test", "--json",
                                    "--rules-only", "--codebook", "risks"])
    data = json.loads(result.stdout)
    assert data["rows"] == 1 and list(data["modes"]) == ["rules"]
    assert data["modes"]["rules"]["themes"]["domestic_violence"]["f1"] == 1.0


def test_train_from_file_saves_a_current_version(runner, tmp_path):
    verified = tmp_path / "verified.jsonl"
    verified.write_text(json.dumps({"text": "Många familjer har det knapert.",
                                    "cats": {"economic_hardship": 1}}) + "\n",
                        encoding="utf-8")
    models = tmp_path / "models"
    result = runner.invoke(coding, ["train", "--codebook", "risks", "--from-file",
                                    str(verified), "--models-dir", str(models)])
    assert result.exit_code == 0, result.output
    assert "Före (before)" in result.stdout and "Efter (after)" in result.stdout
    version = (models / "risks" / "current").read_text().strip()
    assert version in result.stdout
    meta = json.loads((models / "risks" / version / "model.json").read_text())
    assert meta["training"]["sources"]["file"] == 1
    assert meta["evaluation"]["dev"]["combined"]["macro_f1"] > 0
    assert get_coder("risks", models).model_version == version


def test_train_refuses_a_file_with_invalid_lines(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "cats": {"isolation": 1}}\n{oops\n', encoding="utf-8")
    result = runner.invoke(coding, ["train", "--from-file", str(bad), "--models-dir",
                                    str(tmp_path / "m")])
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.stderr and not (tmp_path / "m").exists()


def test_run_codes_every_free_text_answer_of_a_round(runner, db, db_path, tmp_path):
    from survey import store
    from tests.conftest import HALMSTAD, LAHOLM

    texts = {HALMSTAD: "Ökat våld i hemmen och fler orosanmälningar.",
             LAHOLM: "Inga sommarjobb i år."}
    for municipality, text in texts.items():
        response = store.ensure_response(db, "2020-09", municipality, "test")
        store.save_answers(db, response["id"], {"violence_risks": text}, None, "test")
    result = runner.invoke(coding, ["run", "--round", "2020-09", "--db", str(db_path),
                                    "--models-dir", str(tmp_path / "models")])
    assert result.exit_code == 0, result.output
    assert "Klart (done): 2 svar" in result.stdout
    codes = store.codes_for_round(db, "2020-09")
    assert {c["code"] for c in codes} >= {"domestic_violence", "vulnerable_children",
                                          "youth_idleness"}
    assert all(c["model_version"] and c["model_version"].startswith("default-")
               for c in codes)


def test_run_an_unknown_round_is_a_clear_error(runner, db, db_path):
    result = runner.invoke(coding, ["run", "--round", "1999-01", "--db", str(db_path)])
    assert result.exit_code == 1 and "omgången finns inte" in result.stderr


def test_a_lone_surrogate_is_a_line_error_and_the_rest_is_coded(runner, tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_text('{"id": 1, "text": "\\ud800"}\n{"id": "\\udc00", "text": "x"}\n'
                    + json.dumps({"id": 3, "text": "Ensamheten ökar."}) + "\n",
                    encoding="utf-8")
    result = runner.invoke(code, [str(path), "--codebook", "risks"])
    assert result.exit_code == 1, result.output
    rows = lines(result.stdout)
    assert [r.get("line") for r in rows[:2]] == [1, 2]
    assert rows[0]["id"] == 1 and "surrogat" in rows[0]["error"]
    assert rows[1]["id"] is None
    assert rows[2]["codes"][0]["code"] == "isolation"


def test_blank_lines_give_error_lines_and_a_bom_is_accepted(runner, tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_bytes(("\ufeff" + json.dumps({"id": 1, "text": "Ensamheten ökar."}) + "\n\n  \n"
                      + json.dumps({"id": 4, "text": "Ökat våld i hemmen."}) + "\n")
                     .encode("utf-8"))
    result = runner.invoke(code, [str(path), "--codebook", "risks"])
    assert result.exit_code == 1
    rows = lines(result.stdout)
    assert len(rows) == 4
    assert rows[0]["id"] == 1 and rows[0]["codes"][0]["code"] == "isolation"
    assert [r.get("line") for r in rows[1:3]] == [2, 3]
    assert all("tom rad" in r["error"] for r in rows[1:3])
    assert rows[3]["id"] == 4 and "codes" in rows[3]


@pytest.mark.parametrize("meta", [
    {"format": 1, "version": "v1", "codebook": "risks", "labels": [], "combination": [1]},
    {"format": 1, "version": "v1", "codebook": "risks", "labels": 5},
    {"format": 1, "version": "v1", "codebook": "risks", "labels": [],
     "combination": {"thresholds": {"x": "high"}}},
])
def test_code_with_a_hand_damaged_model_json_uses_rules(runner, tmp_path, meta):
    folder = tmp_path / "risks"
    (folder / "v1").mkdir(parents=True)
    (folder / "current").write_text("v1\n")
    (folder / "v1" / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    clear_cache()
    result = runner.invoke(code, ["--model-dir", str(tmp_path)],
                           input=json.dumps({"id": 1, "text": "Ökat spelmissbruk."}) + "\n")
    assert result.exit_code == 0, result.output
    assert "enbart regler" in result.stderr and "corrupt" in result.stderr
    assert lines(result.stdout)[0]["codes"][0]["source"] == "rule"
