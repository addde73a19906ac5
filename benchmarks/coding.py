"""Throughput of the auto-coder: 10,000 answers of about 60 words on one core.

Prints answers per second for the full coder (rules + model), for the rules alone, and for
bare `spacy.blank("sv")` tokenization of the same texts, and the ratio between them. Times
are CPU seconds of this process (`time.process_time`), the best of `--repeat` interleaved
runs, so other load on the machine distorts them less; wall-clock figures of those runs are
printed too. The answers are built from the corpus' training sentences, shuffled with a
fixed seed. Before timing, 500 other answers warm the caches (lemmas and rule terms are
computed once per word form).

    .venv/bin/python benchmarks/coding.py [--answers 10000] [--codebook risks] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_PER_SECOND = 3000  # issue #10 item 7, with the ratio target below
TARGET_RATIO = 6.0
WORDS_PER_ANSWER = 60


def make_answers(count: int, codebook: str, seed: int = 0) -> list[str]:
    """Answers of ~60 words: whole corpus sentences, drawn at random until long enough."""
    from coding.corpus import load_corpus

    sentences = []
    for row in load_corpus(codebook, ("train",)):
        sentences.extend(s.strip() + "." for s in row.text.split(".") if s.strip())
    rng = random.Random(seed)
    answers = []
    for _ in range(count):
        words: list[str] = []
        while len(words) < WORDS_PER_ANSWER:
            words.extend(rng.choice(sentences).split())
        answers.append(" ".join(words))
    return answers


def timed(function) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--codebook", default="risks")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    import spacy

    from coding import get_coder
    from coding.coder import rules_only_coder

    texts = make_answers(args.answers, args.codebook)
    warmup = make_answers(500, args.codebook, seed=1)
    words = sum(len(t.split()) for t in texts) / len(texts)
    blank = spacy.blank("sv")
    coder = get_coder(args.codebook)
    rules = rules_only_coder(args.codebook)
    for pipeline in (coder.code_many, rules.code_many, lambda t: list(blank.pipe(t))):
        pipeline(warmup)

    runs = {
        "blank": lambda: list(blank.pipe(texts, batch_size=256)),
        "coder": lambda: coder.code_many(texts),
        "rules": lambda: rules.code_many(texts),
    }
    results: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeat):  # interleaved, best CPU time of each: load comes in bursts
        for name, run in runs.items():
            wall, cpu = timed(run)
            if name not in results or cpu < results[name][1]:
                results[name] = (wall, cpu)
    print(f"{len(texts)} answers, {words:.0f} words on average, codebook {args.codebook}, "
          f"model {coder.model_version}, one core")
    for name, label in (("coder", "coder (rules + model)"), ("rules", "rules only"),
                        ("blank", 'spacy.blank("sv") tokenization')):
        wall, cpu = results[name]
        print(f"{label:<34} {len(texts) / cpu:>8.0f} answers/s (CPU)  "
              f"{len(texts) / wall:>8.0f} answers/s (wall)")
    ratio = results["coder"][1] / results["blank"][1]
    rules_ratio = results["rules"][1] / results["blank"][1]
    print(f"ratio to bare tokenization: coder {ratio:.1f}x, rules only {rules_ratio:.1f}x slower")
    per_second = len(texts) / results["coder"][1]
    verdict = "met" if per_second >= TARGET_PER_SECOND else "NOT met"
    print(f"target {TARGET_PER_SECOND} answers/s: {verdict}")
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"target at most {TARGET_RATIO:.0f}x bare tokenization: {verdict}")


if __name__ == "__main__":
    main()
