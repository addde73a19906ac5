"""Learning curve: blind macro-F1 after training on 0, 50, 100 and 200 corrections.

    .venv/bin/python benchmarks/learning_curve.py [--codebook risks] [--sizes 0,50,100,200]

The corrections are register `pool` rows (held apart from train and dev), drawn in a fixed
random order (seed 0) and added to the corpus train split as human decisions (weight 3,
as `lagesbild coding train` does). Thresholds are tuned on dev. Only aggregate figures of
the blind split are printed (combined macro-F1 and micro-F1); nothing is tuned on them.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coding.codebook import load_codebook  # noqa: E402
from coding.coder import coder_from_nlp  # noqa: E402
from coding.corpus import load_corpus  # noqa: E402
from coding.evaluate import evaluate  # noqa: E402
from coding.training import TrainingExample, corpus_examples, full_cats, train  # noqa: E402


def curve(codebook: str, sizes: list[int]) -> list[tuple[int, float | None, float | None]]:
    themes = load_codebook(codebook).theme_ids
    pool = load_corpus(codebook, ("pool",))
    random.Random(0).shuffle(pool)
    dev = load_corpus(codebook, ("dev",))
    blind = load_corpus(codebook, ("blind",))
    base = corpus_examples(codebook, ("train",))
    results = []
    for size in sizes:
        corrections = [TrainingExample(row.text, full_cats(row.labels, themes), "human")
                       for row in pool[:size]]
        nlp, info = train(codebook, base + corrections, dev=dev, seed=0)
        coder = coder_from_nlp(codebook, nlp, info.combination, None)
        combined = evaluate(coder, blind)["combined"]
        results.append((size, combined.macro_f1, combined.micro_f1))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codebook", action="append")
    parser.add_argument("--sizes", default="0,50,100,200")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'codebook':<10}{'corrections':>12}{'blind macro-F1':>16}{'blind micro-F1':>16}")
    for codebook in args.codebook or ["risks", "measures"]:
        for size, macro, micro in curve(codebook, sizes):
            print(f"{codebook:<10}{size:>12}{macro:>16.3f}{micro:>16.3f}", flush=True)


if __name__ == "__main__":
    main()
