"""Compare text classifiers, lemma sources and combination rules on the DEV split (first
corpus + register + independent).

    .venv/bin/python benchmarks/classifier_compare.py [--codebook risks] [--variants a,b]

Variants: `bow` (the default: lemma unigrams + 5-letter affixes), `bow_char3` /
`bow_char4` / `bow_char5` (plus character n-grams of every lemma), `bow_bigram` (lemma
bigrams too), `no_confirm` (the default model, but `confirm: model` rule hits count like any
other: the combination before #10's confirm level), `ensemble` (spaCy's TextCatEnsemble.v2:
a tok2vec over NORM/PREFIX/SUFFIX/SHAPE, no vectors, next to a bag of words), `simplemma`
(the default classifier, but simplemma's Swedish lemmas before the lookup table, for rules
and model). Each is trained on train (first corpus + register + independent), thresholds
tuned on dev, and scored on dev: model-only and combined macro-F1 (the combination without
the coder's per-span veto re-check, which needs the bag-of-words model), combined on the
register and on the independent dev rows alone, and training seconds.
Never reads test or blind rows.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coding import lemmas, pipeline, training  # noqa: E402
from coding.codebook import load_codebook  # noqa: E402
from coding.combine import decide  # noqa: E402
from coding.corpus import load_corpus  # noqa: E402
from coding.metrics import binary_scores, macro_f1  # noqa: E402
from coding.training import _rule_status, corpus_examples, train  # noqa: E402

ENSEMBLE = {
    "@architectures": "spacy.TextCatEnsemble.v2", "nO": None,
    "linear_model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False,
                     "ngram_size": 1, "no_output_layer": False, "length": 262144,
                     "nO": None},
    "tok2vec": {"@architectures": "spacy.Tok2Vec.v2",
                "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 64,
                          "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                          "rows": [5000, 1000, 2500, 2500],
                          "include_static_vectors": False},
                "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 64,
                           "window_size": 1, "maxout_pieces": 3, "depth": 2}},
}


def _patch_config(model: dict | None, extra: dict | None = None):
    original = pipeline.load_config

    def load_config(codebook: str):
        config = original(codebook)
        if model is not None:
            config["components"]["textcat_multilabel"]["model"] = copy.deepcopy(model)
        for key, value in (extra or {}).items():
            config["components"]["textcat_multilabel"]["model"][key] = value
        return config

    pipeline.load_config = load_config
    return original


def _patch_simplemma():
    import simplemma

    original = lemmas.CompoundLemmatizer.lemma

    def lemma(self, word: str) -> str:
        low = word.lower()
        if low in self.overrides:
            return self.overrides[low]
        found = simplemma.lemmatize(low, lang="sv").lower()
        return found if found != low else original(self, word)

    lemmas.CompoundLemmatizer.lemma = lemma
    return original


def score(codebook: str) -> dict[str, float]:
    book = load_codebook(codebook)
    labels = book.theme_ids
    dev = load_corpus(codebook, ("dev",))
    started = time.process_time()
    nlp, info = train(codebook, corpus_examples(codebook, ("train",)), dev=dev, seed=0)
    seconds = time.process_time() - started
    docs = list(nlp.pipe(row.text for row in dev))
    combo = info.combination
    model_sets, combined_sets = [], []
    for doc in docs:
        rules = _rule_status(doc)
        model_sets.append({t for t in labels if doc.cats.get(t, 0.0) >= combo.threshold(t)})
        combined_sets.append({t for t in labels
                              if decide(t, rules.get(t), doc.cats.get(t, 0.0), combo).present})

    def macro(sets):
        return macro_f1(binary_scores([t in s for s in sets], [t in r.labels for r in dev])
                        for t in labels)

    def macro_style(sets, style):
        rows = [i for i, row in enumerate(dev) if row.style == style]
        if not rows:
            return float("nan")
        return macro_f1(binary_scores([t in sets[i] for i in rows],
                                      [t in dev[i].labels for i in rows]) for t in labels)

    return {"model": macro(model_sets), "combined": macro(combined_sets),
            "combined_register": macro_style(combined_sets, "register"),
            "combined_independent": macro_style(combined_sets, "independent"),
            "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codebook", action="append")
    parser.add_argument("--variants", default="bow,no_confirm,bow_char3,bow_char4,bow_char5,"
                                               "bow_bigram,ensemble,simplemma")
    args = parser.parse_args()
    print(f"{'codebook':<10}{'variant':<12}{'model':>8}{'combined':>10}"
          f"{'comb.reg':>10}{'comb.ind':>10}{'train s':>9}")
    for codebook in args.codebook or ["risks", "measures"]:
        for variant in args.variants.split(","):
            restore_config = restore_lemma = restore_grid = None
            if variant.startswith("bow_char"):
                restore_config = _patch_config(None, {"char_ngrams": int(variant[-1])})
            elif variant == "bow_bigram":
                restore_config = _patch_config(None, {"ngram_size": 2})
            elif variant == "no_confirm":
                restore_grid, training.CONFIRM_GRID = training.CONFIRM_GRID, [0.0]
            elif variant == "ensemble":
                restore_config = _patch_config(ENSEMBLE)
            elif variant == "simplemma":
                restore_lemma = _patch_simplemma()
            try:
                result = score(codebook)
            finally:
                if restore_config:
                    pipeline.load_config = restore_config
                if restore_lemma:
                    lemmas.CompoundLemmatizer.lemma = restore_lemma
                if restore_grid:
                    training.CONFIRM_GRID = restore_grid
            print(f"{codebook:<10}{variant:<12}{result['model']:>8.3f}"
                  f"{result['combined']:>10.3f}{result['combined_register']:>10.3f}"
                  f"{result['combined_independent']:>10.3f}{result['seconds']:>9.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
