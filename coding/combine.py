"""How rule hits and model probabilities become one label decision per theme.

Rules are precise and explain themselves; the model catches paraphrases the rules miss
("flickor som inte får träffa kompisar"). Per theme, with p the model's probability:

- a rule says *present*: the theme is present unless the model is confidently against it
  (p < veto). A human correction that the model has learned can therefore overrule a rule.
- only a negated mention: not present, reported with `negated: true`. The model reads a
  bag of words and cannot see negation ("inga tecken på ökat spelmissbruk" looks to it like
  gambling), so it never overrules a negation.
- no rule at all: present only if p >= accept, where accept = max(the label's tuned
  threshold, accept_floor).
- a rule hit of a `confirm: model` pattern only (status 'weak': a common word that is right
  only in some contexts): present if p >= confirm, else nothing is reported.
- without a model, the rules decide alone.

`veto`, `accept_floor` and the per-label thresholds are tuned on the dev split when a model
is trained and stored with it. `auto_accept` is the calibrated score from which codes were
at least 95 % precise on dev (coding.reliability); None when not calibrated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

RULE_SCORE = 0.9  # confidence of an affirmative rule hit without model support
NEGATED_SCORE = 0.8  # confidence that a negated-only mention really is negated
#: A theme only the model sees scores p times this: on the dev split (first corpus, register
#: and independent rows) model-only codes at p >= 0.9 were about 0.70 precise, codes a rule
#: and the model agree on (score >= 0.9) about 0.97. The score orders codes by how far they
#: can be trusted, so the auto-accept band is not filled with unconfirmed model guesses.
MODEL_ONLY_WEIGHT = 0.85


@dataclass(frozen=True)
class Combination:
    thresholds: dict[str, float] = field(default_factory=dict)
    veto: float = 0.1
    accept_floor: float = 0.6
    auto_accept: float | None = None
    confirm: float = 0.0  # what a weak (confirm: model) rule hit needs from the model

    def threshold(self, label: str) -> float:
        return self.thresholds.get(label, 0.5)

    def accept(self, label: str) -> float:
        return max(self.threshold(label), self.accept_floor)

    def to_dict(self) -> dict:
        return {"thresholds": dict(self.thresholds), "veto": self.veto,
                "accept_floor": self.accept_floor, "auto_accept": self.auto_accept,
                "confirm": self.confirm}

    @classmethod
    def from_dict(cls, data: dict) -> Combination:
        return cls(thresholds={str(k): float(v) for k, v in data.get("thresholds", {}).items()},
                   veto=float(data.get("veto", 0.1)),
                   accept_floor=float(data.get("accept_floor", 0.6)),
                   auto_accept=(None if data.get("auto_accept") is None
                                else float(data["auto_accept"])),
                   confirm=float(data.get("confirm", 0.0)))


class Decision(NamedTuple):  # a named tuple: several per answer, cheap to build
    present: bool
    negated: bool  # reported as a negated mention (never counted as present)
    source: str  # "rule", "model" or "rule+model"; "" when nothing is reported
    score: float


def decide(label: str, rule: str | None, p: float | None, combo: Combination) -> Decision:
    """One theme's outcome from the rule status ('present', 'weak', 'negated' or None)
    and p."""
    if p is None:
        if rule in ("present", "weak"):
            return Decision(True, False, "rule", RULE_SCORE)
        if rule == "negated":
            return Decision(False, True, "rule", NEGATED_SCORE)
        return Decision(False, False, "", 0.0)
    if rule == "present":
        if p < combo.veto:
            return Decision(False, False, "", p)
        source = "rule+model" if p >= combo.threshold(label) else "rule"
        return Decision(True, False, source, round((RULE_SCORE + p) / 2, 4))
    if rule == "negated":
        return Decision(False, True, "rule", NEGATED_SCORE)
    if rule == "weak" and p >= combo.confirm:
        source = "rule+model" if p >= combo.threshold(label) else "rule"
        return Decision(True, False, source, round((RULE_SCORE + p) / 2, 4))
    if p >= combo.accept(label):
        return Decision(True, False, "model", round(MODEL_ONLY_WEIGHT * p, 4))
    return Decision(False, False, "", p)
