"""The respondent's personal-data warning: free texts on a page are scanned when shown, and
each finding is marked in its passage with advice. It never blocks a save: the official
decides, but does so knowing that the answer travels on into public reports."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from coding.personal_data import KIND_LABELS, Finding
from coding.personal_data import scan as scan_text
from survey.questionnaire.model import Page, Question

#: The respondent's own contact details: personal data by design, asked for so the county
#: board can reach them, and kept out of the quoted texts; a warning there would only confuse.
CONTACT_QUESTIONS = frozenset({"respondent_name", "respondent_role", "respondent_email",
                               "respondent_phone"})


@dataclass(frozen=True)
class Passage:
    text: str
    finding: Finding | None = None


@dataclass(frozen=True)
class Flagged:
    question: Question
    passages: list[Passage]
    findings: list[Finding]


def flagged_answers(page: Page, answers: dict, questions_shown: set[str]) -> list[Flagged]:
    """The page's text answers that hold personal data, cut into marked passages."""
    flagged = []
    for question in page.questions:
        text = answers.get(question.name)
        if question.name not in questions_shown or not isinstance(text, str) \
                or question.name in CONTACT_QUESTIONS:
            continue
        findings = scan(text)
        if findings:
            flagged.append(Flagged(question, _passages(text, findings), findings))
    return flagged


def new_findings(before: dict, values: dict) -> bool:
    """Did this save bring a text with personal data that was not there before?"""
    return any(isinstance(v, str) and v != before.get(k) and k not in CONTACT_QUESTIONS
               and scan(v) for k, v in values.items())


@lru_cache(maxsize=4096)
def _scan(text: str) -> tuple[Finding, ...]:
    """A save scans its new texts and the page view right after it scans them again: the
    findings of a text (immutable) are kept, the least recently used going first."""
    return tuple(scan_text(text))


def scan(text: str) -> list[Finding]:
    return list(_scan(text))


def kind_label(finding: Finding, lang: str) -> str:
    return KIND_LABELS[finding.kind][lang]


def _passages(text: str, findings: list[Finding]) -> list[Passage]:
    out, at = [], 0
    for finding in findings:
        if finding.start > at:
            out.append(Passage(text[at:finding.start]))
        out.append(Passage(text[finding.start:finding.end], finding))
        at = finding.end
    if at < len(text):
        out.append(Passage(text[at:]))
    return out
