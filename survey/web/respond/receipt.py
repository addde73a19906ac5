"""The receipt's copy by e-mail (its reference number: survey.services.references)."""

from __future__ import annotations

import re

from survey.services import mail

#: An address as the coordinators' contact form accepts it (one @, a dot in the domain).
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL = 200
#: Copies one browser session may send: enough to correct a typo, too few to spam with.
MAX_COPIES = 5


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
