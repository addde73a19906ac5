"""Exports and the review workspace and personal data: masked by default in exports, kept
only on request (and audited), and flagged on the review card."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from survey import store
from survey.cli import cli
from survey.services import export as exporter
from tests.conftest import HALMSTAD
from tests.test_autocode import submit
from tests.test_respond import ROUND, complete_answers

NUMBER = "19121212-1212"


def _submit_with_number(client, links, db):
    questionnaire = store.round_questionnaire(db, store.get_round(db, ROUND))
    answers = complete_answers(questionnaire)
    answers["violence_risks"] = f"En familj (pnr {NUMBER}) har sökt stöd hos kvinnojouren."
    client.get(links.url(ROUND, HALMSTAD))
    submit(client, questionnaire, answers)


def test_export_masks_personal_data_unless_asked_and_audited(client, links, db, db_path,
                                                               monkeypatch):
    _submit_with_number(client, links, db)
    masked = exporter.render(db, ROUND, "csv").decode("utf-8-sig")
    assert NUMBER not in masked and "[borttaget: personnummer]" in masked
    rows = list(csv.DictReader(io.StringIO(masked)))
    assert any("kvinnojouren" in (r.get("violence_risks") or "") for r in rows)
    monkeypatch.setenv("LAGESBILD_DB", str(db_path))
    result = CliRunner().invoke(cli, ["export", "--round", ROUND, "--format", "csv", "-o", "-",
                                      "--with-personal-data"])
    assert result.exit_code == 0, result.output
    assert NUMBER in result.output
    actions = [e["action"] for e in store.audit_entries(store.connect(db_path), round_id=ROUND)]
    assert "export_with_personal_data" in actions
