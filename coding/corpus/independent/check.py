"""Sanity check for the independent tuning set.

Run from the repository root: ``.venv/bin/python coding/corpus/independent/check.py``.
It exists so that the hand-written files can be edited safely: a broken line or an unknown
theme id would otherwise only show up as a confusing error inside the coder's tooling.
"""

import json
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CODEBOOKS = HERE.parent.parent / "codebooks"
POSITIVE = {"increase", "present"}
NEGATIVE = {"decrease", "unchanged", "denied"}


def theme_ids(codebook: str) -> set[str]:
    data = yaml.safe_load((CODEBOOKS / f"{codebook}.yaml").read_text(encoding="utf-8"))
    return {t["id"] for t in data["themes"]}


# (codebook, file relative to this folder, id prefix); a file not written yet is skipped.
FILES = (
    ("risks", "risks.jsonl", "ri"),
    ("measures", "measures.jsonl", "mi"),
    ("risks", "risks-2.jsonl", "rk"),
    ("measures", "measures-2.jsonl", "mk"),
    ("risks", "risks-3.jsonl", "rx"),
    ("measures", "measures-3.jsonl", "mx"),
)


def check(name: str, file: str, prefix: str) -> list[str]:
    themes = theme_ids(name)
    errors, seen = [], set()
    lines = (HERE / file).read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        where = f"{file}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: invalid JSON ({exc})")
            continue
        rid = row.get("id", "")
        if rid in seen or not rid.startswith(prefix):
            errors.append(f"{where}: bad or duplicate id {rid!r}")
        seen.add(rid)
        errors += [f"{where}: {problem}" for problem in row_problems(row, themes, prefix)]
    texts = Counter(json.loads(line)["text"] for line in lines if line.strip())
    errors += [f"{file}: duplicate text {t[:40]!r}" for t, c in texts.items() if c > 1]
    return errors


def row_problems(row: dict, themes: set[str], prefix: str) -> list[str]:
    """What is wrong with one row's labels, directions, split and text."""
    labels, negated = row.get("labels", []), row.get("negated", [])
    direction = row.get("direction", {})
    problems = []
    if set(labels) & set(negated):
        problems.append("theme both labelled and negated")
    problems += [f"unknown theme {t!r}" for t in [*labels, *negated] if t not in themes]
    if set(direction) != set(labels) | set(negated):
        problems.append("direction keys differ from labels and negated")
    problems += [f"{t} labelled but direction {direction.get(t)!r}" for t in labels
                 if direction.get(t) not in POSITIVE]
    problems += [f"{t} negated but direction {direction.get(t)!r}" for t in negated
                 if direction.get(t) not in NEGATIVE]
    rid = row.get("id", "")
    parity = "dev" if int(rid[len(prefix):] or 0) % 2 else "train"
    if row.get("split") != parity or row.get("style") != "independent":
        problems.append("split or style wrong")
    if not row.get("text", "").strip():
        problems.append("empty text")
    return problems


def summary(name: str, file: str) -> None:
    text = (HERE / file).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines()]
    pos, neg = Counter(), Counter()
    for row in rows:
        pos.update(row["labels"])
        neg.update(row["direction"][t] for t in row["negated"])
    with_neg = sum(bool(r["negated"]) for r in rows)
    empty = sum(not r["labels"] and not r["negated"] for r in rows)
    print(f"{file}: {len(rows)} rows, {with_neg} with a negated mention, {empty} with no theme")
    for theme in sorted(theme_ids(name)):
        dirs = Counter(r["direction"][theme] for r in rows if theme in r["direction"])
        spread = ", ".join(f"{k} {v}" for k, v in sorted(dirs.items()))
        print(f"  {theme:20} positive {pos[theme]:3}  {spread}")
    print(f"  negated directions: {dict(neg)}")


def main() -> int:
    errors = []
    for name, file, prefix in FILES:
        if (HERE / file).exists():
            errors += check(name, file, prefix)
            summary(name, file)
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
