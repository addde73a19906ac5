"""Training from partial labels, learning from corrections, and versioned models on disk."""

from __future__ import annotations

import json

import pytest

from coding import clear_cache, get_coder
from coding.classifier import (
    ModelError,
    list_versions,
    load_model,
    resolve_model_dir,
    save_model,
    set_current,
)
from coding.coder import coder_from_nlp, rules_only_coder
from coding.pipeline import TEXTCAT, build_nlp
from coding.training import (
    TrainingExample,
    corpus_examples,
    examples_from_file,
    merge_examples,
    train,
)

REJECTED = "Det har varit stökigt vid torget på kvällarna."  # rules: public_safety
MISSED = "Många familjer har det trångt och knapert just nu."  # rules: nothing


@pytest.fixture(scope="module")
def base():
    """A small slice of the corpus: tiny models train in well under a second."""
    return corpus_examples("risks", ("train",))[:80]


@pytest.fixture(scope="module")
def base_model(base):
    return train("risks", base, epochs=10)


def test_partial_labels_leave_undecided_themes_out_of_the_loss(base):
    partial = [TrainingExample(e.text, {"substance_abuse": e.cats["substance_abuse"]})
               for e in base]
    nlp, _info = train("risks", partial, epochs=5)
    cats = nlp("Vi ser mer våld i nära relationer och fler hemlösa.").cats
    # Never decided: untouched by training (zero weights give exactly 0.5).
    assert cats["domestic_violence"] == pytest.approx(0.5)
    assert cats["economic_hardship"] == pytest.approx(0.5)
    # Decided (mostly 0 here): learned.
    assert cats["substance_abuse"] < 0.4
    # The same examples with complete labels teach every theme.
    nlp_full, _ = train("risks", base, epochs=5)
    assert nlp_full("Vi ser mer våld i nära relationer.").cats["domestic_violence"] != \
        pytest.approx(0.5)


def test_training_is_deterministic_for_a_seed(base):
    first, _ = train("risks", base[:30], epochs=3, seed=7)
    second, _ = train("risks", base[:30], epochs=3, seed=7)
    assert first.get_pipe(TEXTCAT).to_bytes() == second.get_pipe(TEXTCAT).to_bytes()


def test_retrained_model_changes_predictions_it_was_corrected_on(base, base_model):
    assert [c.code for c in rules_only_coder("risks").code(MISSED)] == []
    nlp, info = base_model
    before = coder_from_nlp("risks", nlp, info.combination, "before")
    assert "public_safety" in {c.code for c in before.code(REJECTED)}
    assert "economic_hardship" not in {c.code for c in before.code(MISSED)}

    corrections = [TrainingExample(REJECTED, {"public_safety": 0.0}, "human"),
                   TrainingExample(MISSED, {"economic_hardship": 1.0}, "human")]
    nlp_after, info_after = train("risks", merge_examples(base, corrections), epochs=10)
    after = coder_from_nlp("risks", nlp_after, info_after.combination, "after")
    assert "public_safety" not in {c.code for c in after.code(REJECTED)}  # rule overruled
    added = {c.code: c for c in after.code(MISSED)}
    assert added["economic_hardship"].source == "model"
    assert added["economic_hardship"].evidence == MISSED
    assert info_after.training["sources"] == {"corpus": 80, "human": 2}


def test_human_decisions_win_over_the_corpus_for_the_same_text():
    corpus = [TrainingExample("A", {"isolation": 1.0, "public_safety": 0.0})]
    human = [TrainingExample("A", {"isolation": 0.0}, "human")]
    merged = merge_examples(corpus, human)
    assert merged == [TrainingExample("A", {"isolation": 0.0, "public_safety": 0.0}, "human")]


def test_training_files_take_partial_and_complete_rows(tmp_path):
    path = tmp_path / "verified.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": "Ökat våld.", "cats": {"domestic_violence": 1, "isolation": 0}}),
        json.dumps({"text": "Ensamhet.", "labels": ["isolation"]}),
        "{broken",
        json.dumps({"text": "X", "cats": {"no_such_theme": 1}}),
        json.dumps({"text": "Y", "cats": {"isolation": 0.5}}),
        "",
    ]), encoding="utf-8")
    examples, problems = examples_from_file(path, "risks")
    assert examples[0].cats == {"domestic_violence": 1.0, "isolation": 0.0}
    assert len(examples[1].cats) == 8 and examples[1].cats["isolation"] == 1.0
    assert [p.split(": ")[0] for p in problems] == [f"{path}:3", f"{path}:4", f"{path}:5"]
    assert "unknown theme(s): no_such_theme" in problems[1]


def test_versions_are_saved_with_a_current_pointer(tmp_path, base_model):
    nlp, info = base_model
    root = tmp_path / "models" / "risks"
    first = save_model(nlp, info, root)
    assert first.name == info.version and first.name[:8].isdigit() and "-" in first.name
    assert resolve_model_dir(tmp_path / "models", "risks") == first
    assert resolve_model_dir(root, "risks") == first
    assert resolve_model_dir(first, "risks") == first
    meta = json.loads((first / "model.json").read_text(encoding="utf-8"))
    assert meta["codebook"] == "risks" and meta["combination"]["thresholds"] == {}
    other = save_model(nlp, info, root, version="20200101T000000Z-00000000",
                       make_current=False)
    assert list_versions(root) == sorted([first.name, other.name])
    assert (root / "current").read_text().strip() == first.name
    set_current(root, other.name)
    assert resolve_model_dir(root, "risks") == other
    with pytest.raises(ModelError):
        set_current(root, "missing")


def test_get_coder_uses_the_current_version(tmp_path, base_model):
    nlp, info = base_model
    path = save_model(nlp, info, tmp_path / "risks")
    clear_cache()
    coder = get_coder("risks", tmp_path)
    assert coder.model_version == path.name and coder.model_error is None


def test_a_pointer_to_a_missing_version_is_a_clear_error(tmp_path):
    root = tmp_path / "risks"
    root.mkdir()
    (root / "current").write_text("20990101T000000Z-deadbeef\n")
    with pytest.raises(ModelError, match="missing"):
        load_model(build_nlp("risks"), resolve_model_dir(tmp_path, "risks"), [])
    clear_cache()
    coder = get_coder("risks", tmp_path)
    assert coder.model_version is None and "missing" in coder.model_error
