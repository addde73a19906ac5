"""What a county coordinator chooses from when compiling: quotes, good examples, collaboration.

Candidates are the passages a report could quote for a county: the sentence around each
coded passage of an area's free texts (as ``reports.sections`` picks quotes), the reasons
given for a high risk, the good examples and the descriptions of collaboration (the national
report draws its examples from the counties' choices). A sentence coded with several themes is one
candidate (a quote is used once), placed under its first area and theme; the coordinator's
choice (``store.quote_choices``) is attached.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from reports import labels
from reports.data import area_of_question, areas, is_present
from reports.quotes import quote_for, shorten
from survey import store

QUOTE, REASON, GOOD_EXAMPLE, COLLABORATION = "quote", "reason", "good_example", "collaboration"
GOOD_EXAMPLES = "good_examples"
COLLABORATION_DESCRIPTION = "collaboration_description"


@dataclass
class Candidate:
    response_id: int
    municipality_code: str
    municipality_name: str
    question: str
    start: int | None
    end: int | None
    kind: str  # QUOTE, REASON, GOOD_EXAMPLE or COLLABORATION
    text: str
    area: str | None = None
    theme: str | None = None
    code_id: int | None = None
    shareable: bool = True
    choice: dict | None = None

    @property
    def key(self) -> str:
        """How a form (and an HTML id) names this passage: q<response>-<question>-<start>-<end>,
        'n' for a whole answer's missing offsets."""
        return f"q{self.response_id}-{self.question}-{_n(self.start)}-{_n(self.end)}"

    @property
    def theme_label(self) -> str:
        return labels.theme_label(self.theme) if self.theme else ""


def _n(value: int | None) -> str:
    return "n" if value is None else str(value)


def area_labels(db: sqlite_utils.Database, round_row: dict) -> list[tuple[str, str]]:
    """(area id, Swedish label) of the round's questionnaire: the compilation's areas."""
    return areas(store.round_questionnaire(db, round_row))


def candidates(db: sqlite_utils.Database, round_row: dict, county_code: str
               ) -> list[Candidate]:
    """Every candidate of the county's submitted answers, in area order, choices attached."""
    questionnaire = store.round_questionnaire(db, round_row)
    question_area = area_of_question(questionnaire)
    round_id = round_row["id"]
    submitted = {r["id"]: r for r in store.responses_for_round(db, round_id, county_code)
                 if r["status"] == store.SUBMITTED}
    answers = store.submitted_answers(db, round_id, county_code)
    found = _coded(db, round_id, county_code, submitted, answers, question_area)
    found += _whole_answers(submitted, answers, [a for a, _ in areas(questionnaire)])
    choices = {(c["response_id"], c["question"], c["start"], c["end"]): c
               for c in store.quote_choices(db, round_id, county_code)}
    order = {area: i for i, (area, _) in enumerate(areas(questionnaire))}
    for candidate in found:
        candidate.choice = choices.get((candidate.response_id, candidate.question,
                                        candidate.start, candidate.end))
        if candidate.choice and candidate.choice["area"]:
            candidate.area = candidate.choice["area"]
    found.sort(key=lambda c: (order.get(c.area, 99), c.kind != REASON, c.theme or "",
                              c.municipality_code, c.question, c.start or 0))
    return found


def _coded(db: sqlite_utils.Database, round_id: str, county_code: str,
           submitted: dict[int, dict], answers: dict[str, dict],
           question_area: dict[str, str]) -> list[Candidate]:
    result, seen = [], set()
    for code in store.codes_for_round(db, round_id, county_code):
        response = submitted.get(code["response_id"])
        area = question_area.get(code["question"])
        if response is None or area is None or not is_present(code) or code["start"] is None:
            continue
        text = answers.get(response["municipality_code"], {}).get(code["question"])
        if not isinstance(text, str):
            continue
        quote = quote_for(text, code["start"], code["end"])
        if (code["response_id"], code["question"], quote) in seen:
            continue  # the same sentence under another theme: one quote, one place
        seen.add((code["response_id"], code["question"], quote))
        result.append(Candidate(code["response_id"], response["municipality_code"],
                                response["municipality_name"], code["question"],
                                code["start"], code["end"], QUOTE, quote, area,
                                code["code"], code["id"]))
    return result


def _whole_answers(submitted: dict[int, dict], answers: dict[str, dict],
                   area_ids: list[str]) -> list[Candidate]:
    result = []
    for response_id, response in submitted.items():
        values = answers.get(response["municipality_code"], {})
        for area in area_ids:
            text = values.get(f"{area}_high_reason")
            if isinstance(text, str) and text.strip():
                result.append(Candidate(response_id, response["municipality_code"],
                                        response["municipality_name"], f"{area}_high_reason",
                                        None, None, REASON,
                                        shorten(" ".join(text.split()), 400), area))
        text = values.get(GOOD_EXAMPLES)
        if isinstance(text, str) and text.strip():
            result.append(Candidate(response_id, response["municipality_code"],
                                    response["municipality_name"], GOOD_EXAMPLES, None, None,
                                    GOOD_EXAMPLE, shorten(" ".join(text.split()), 600),
                                    shareable=values.get("good_examples_share") is True))
        text = values.get(COLLABORATION_DESCRIPTION)
        if isinstance(text, str) and text.strip():
            result.append(Candidate(response_id, response["municipality_code"],
                                    response["municipality_name"], COLLABORATION_DESCRIPTION,
                                    None, None, COLLABORATION,
                                    shorten(" ".join(text.split()), 600)))
    return result


def find(found: list[Candidate], key: str) -> Candidate | None:
    return next((c for c in found if c.key == key), None)
