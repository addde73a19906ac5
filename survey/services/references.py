"""The reference number a submitted lägesbild's receipt carries.

Computed, not stored: the round, the municipality code and a short check of the submission
(response id and submission time), so the same submission always has the same number, a
resubmission after a reopening gets a new one, and anyone with the database can recompute it
to see that a receipt is genuine. The respondent's receipt shows it and the coordinator's page
of the municipality shows the same number, so the two can talk about one submission.
"""

from __future__ import annotations

import hashlib
import re


def receipt_reference(round_id: str, code: str, response_id: int,
                      submitted_at: str | None) -> str:
    """ "LB-2020-06-1380-7F3A": round, municipality, four hex digits of the submission."""
    check = hashlib.sha256(f"{round_id}|{code}|{response_id}|{submitted_at or ''}"
                           .encode()).hexdigest()[:4].upper()
    round_part = re.sub(r"[^A-Z0-9-]", "", round_id.upper())
    return f"LB-{round_part}-{code}-{check}"
