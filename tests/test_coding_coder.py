"""The coder's API and contract, and every kind of bad input."""

from __future__ import annotations

import gc
import logging
import shutil

import pytest

from coding import Code, CodebookError, clear_cache, get_coder
from coding.coder import rules_only_coder
from coding.corpus import load_corpus
from coding.default_classifier import default_model
from coding.gcpause import collector_paused
from coding.text import MAX_EVIDENCE_CHARS

TEXT = ("Kvinnojouren har haft fler samtal än vanligt. Vi ser ingen ökning av missbruket, "
        "men alkoholen bland unga oroar oss.")


@pytest.fixture(scope="module")
def coder():
    return get_coder("risks")


def test_codes_follow_the_contract(coder):
    codes = coder.code(TEXT)
    assert all(isinstance(c, Code) for c in codes)
    row = codes[0].to_dict()
    assert list(row) == ["code", "score", "negated", "source", "start", "end", "evidence",
                         "direction"]
    by_code = {c.code: c for c in codes}
    assert {"domestic_violence", "substance_abuse"} <= set(by_code)
    assert by_code["substance_abuse"].negated is False  # one affirmative mention is enough
    for c in codes:
        assert c.source in ("rule", "model", "rule+model")
        assert 0.0 <= c.score <= 1.0
        assert TEXT[c.start:c.end] == c.evidence
    assert by_code["domestic_violence"].evidence == "Kvinnojouren har haft fler samtal än vanligt."


def test_coder_has_a_model_and_says_which(coder):
    assert coder.model_version and coder.model_version.startswith("default-")
    assert coder.model_error is None


def test_get_coder_is_cached_per_codebook_and_model_dir(coder, tmp_path):
    assert get_coder("risks") is coder
    assert get_coder("measures") is not coder
    assert get_coder("risks", tmp_path) is not coder  # an empty models folder: default model
    assert get_coder("risks", tmp_path).model_version == coder.model_version


def test_code_many_keeps_order_and_matches_code(coder):
    texts = ["Ökat våld i hemmen.", "", "Fler hemlösa i centrum.", TEXT] * 100
    results = coder.code_many(texts, batch_size=7)
    assert len(results) == len(texts)
    assert results[3] == coder.code(TEXT)
    assert [c.code for c in results[0]] == ["domestic_violence"]
    assert [c.code for c in results[2]] == ["economic_hardship"]


def test_coding_leaves_no_cycles_for_the_paused_collector(coder):
    """coding.gcpause holds the collector off during a batch: that frees nothing later only
    because coding makes no reference cycles."""
    texts = [row.text for row in load_corpus("risks", ("train", "dev"))][:400]
    coder.code_many(texts[:50])  # warm caches (lemmas, rule terms) are not garbage
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        coder.code_many(texts)
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def test_the_collector_state_is_restored_after_a_batch(coder):
    assert gc.isenabled()
    coder.code_many(["Ökat våld i hemmen."])
    assert gc.isenabled()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        coder.code_many(["Ökat våld i hemmen."])
        assert not gc.isenabled()  # the caller's choice stands
    finally:
        gc.enable()


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n", None])
def test_empty_input_gives_no_codes(coder, text):
    assert coder.code(text) == []


def test_non_text_input_is_refused(coder):
    with pytest.raises(TypeError, match="must be a string"):
        coder.code(42)


def test_a_100_kb_answer_is_coded_with_valid_offsets(coder):
    filler = "Vi följer utvecklingen noga tillsammans med skolan och polisen. " * 1600
    text = filler + "Våld i nära relationer har ökat." + filler
    assert len(text) > 100_000
    codes = coder.code(text)
    violence = next(c for c in codes if c.code == "domestic_violence")
    assert text[violence.start:violence.end] == violence.evidence
    assert "Våld i nära relationer har ökat." in violence.evidence


def test_a_long_sentence_gives_a_window_around_the_match(coder):
    text = "och " * 500 + "ökat spelmissbruk bland unga " + "samt " * 500
    code = next(c for c in coder.code(text) if c.code == "substance_abuse")
    assert len(code.evidence) <= MAX_EVIDENCE_CHARS
    assert "spelmissbruk" in code.evidence and text[code.start:code.end] == code.evidence


def test_html_is_ignored_and_offsets_point_into_the_original(coder):
    text = ('<p>Fler <b>orosanmälningar</b> från skolan.</p><script>alert("våld i nära '
            'relationer")</script><p>Inga sommarjobb &amp; stängda fritidsgårdar.</p>')
    codes = {c.code: c for c in coder.code(text)}
    assert set(codes) == {"vulnerable_children", "youth_idleness"}  # not the script
    child = codes["vulnerable_children"]
    assert child.evidence == "Fler orosanmälningar från skolan."
    assert text[child.start:child.end].startswith("Fler <b>orosanmälningar")


def test_emoji_do_not_break_coding_or_offsets(coder):
    text = "😟😟 Ensamheten bland äldre är stor 💔. Inga sommarjobb 🙁"
    codes = {c.code: c for c in coder.code(text)}
    assert set(codes) == {"isolation", "youth_idleness"}
    for c in codes.values():
        assert " ".join(text[c.start:c.end].split()) == c.evidence


def test_english_text_gets_no_swedish_codes(coder):
    assert coder.code("We see more loneliness and domestic violence since March.") == []


def test_mixed_language_text_codes_the_swedish_part(coder):
    codes = coder.code("Summary: no changes. Däremot har arbetslösheten ökat kraftigt.")
    assert [c.code for c in codes] == ["economic_hardship"]


def test_unknown_codebook_raises_a_codebook_error():
    with pytest.raises(CodebookError, match="okänd kodbok"):
        get_coder("nonsense")


def test_corrupt_model_falls_back_to_rules_with_a_clear_warning(tmp_path, caplog):
    nlp, info = default_model("risks")
    from coding.classifier import save_model

    version_dir = save_model(nlp, info, tmp_path / "risks")
    weights = version_dir / "textcat" / "model"
    weights.write_bytes(b"\x00garbage" * 10)
    clear_cache()
    with caplog.at_level(logging.WARNING, logger="coding"):
        broken = get_coder("risks", tmp_path)
    assert broken.model_version is None
    assert "corrupt or unreadable model" in broken.model_error
    assert "rules only" in caplog.text and str(weights.parent) in caplog.text
    assert [c.code for c in broken.code("Ökat våld i hemmen.")] == ["domestic_violence"]
    assert all(c.source == "rule" for c in broken.code(TEXT))
    shutil.rmtree(version_dir)


def test_model_of_another_codebook_is_refused(tmp_path):
    nlp, info = default_model("measures")
    from coding.classifier import save_model

    save_model(nlp, info, tmp_path / "risks")  # measures weights where risks are expected
    clear_cache()
    coder = get_coder("risks", tmp_path)
    assert coder.model_version is None and "do not match" in coder.model_error


def test_rules_only_coder_reports_rule_sources():
    coder = rules_only_coder("measures")
    codes = coder.code("Fältassistenterna har varit ute varje kväll och nattvandrarna går "
                       "på helgerna.")
    assert {c.code for c in codes} == {"outreach", "adult_presence"}
    assert {c.source for c in codes} == {"rule"} and coder.model_version is None
