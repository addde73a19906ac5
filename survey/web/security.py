"""Response headers and request checks that every page needs."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, request

from survey.web.errors import BadInput

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

ENCODING_MESSAGE = {
    "sv": "Det som skickades är inte giltig UTF-8-text. Inget sparat har ändrats.",
    "en": "What was sent is not valid UTF-8 text. Nothing saved was changed.",
}


def body_is_utf8() -> bool:
    """Werkzeug would silently replace bad bytes; we refuse them instead."""
    data = request.get_data(cache=True)
    if request.mimetype == "application/x-www-form-urlencoded":
        try:
            for pair in data.split(b"&"):
                unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    # multipart too: no form here uploads files, so every part must be UTF-8 text
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def register(app: Flask) -> None:
    @app.before_request
    def refuse_bad_encoding() -> None:
        if request.method in ("POST", "PUT", "PATCH") and not body_is_utf8():
            raise BadInput(ENCODING_MESSAGE)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
