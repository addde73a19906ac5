"""The receipt's reference number and its copy by e-mail.

The reference is computed, not stored: the round, the municipality code and a short check of
the submission (response id and submission time), so the same submission always has the same
number, a resubmission after a reopening gets a new one, and anyone with the database can
recompute it to see that a receipt is genuine.
"""

from __future__ import annotations

import hashlib
import re

from survey.services import mail

#: An address as the coordinators' contact form accepts it (one @, a dot in the domain).
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL = 200
#: Copies one browser session may send: enough to correct a typo, too few to spam with.
MAX_COPIES = 5


def reference(round_id: str, code: str, response_id: int, submitted_at: str | None) -> str:
    """ "LB-2020-06-1380-7F3A": round, municipality, four hex digits of the submission."""
    check = hashlib.sha256(f"{round_id}|{code}|{response_id}|{submitted_at or ''}"
                           .encode()).hexdigest()[:4].upper()
    round_part = re.sub(r"[^A-Z0-9-]", "", round_id.upper())
    return f"LB-{round_part}-{code}-{check}"


def address_problem(address: str) -> str | None:
    """The message key for an address we will not send to, or None."""
    if not address:
        return "receipt_mail_missing"
    if len(address) > MAX_EMAIL or not EMAIL_PATTERN.match(address):
        return "receipt_mail_bad"
    return None


def send_copy(app, round_id: str, code: str, address: str, subject: str, body: str
              ) -> str | None:
    """Mail the receipt; None when the server (or the demo's outbox) took it, else the kind
    of failure (mail.send_receipt)."""
    return mail.send_receipt(app, mail.ReceiptCopy(round_id, code, address, subject, body))
