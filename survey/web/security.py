"""Response headers and request checks that every page needs.

``register`` must run before CSRFProtect is initialised: before-request hooks run in the
order they were added, and the strict UTF-8 check has to see the body before the CSRF check
parses it into a form (after that the raw body is gone and Werkzeug has already replaced bad
bytes).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote_to_bytes, urlsplit

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
        # One pass over the whole body: a "&" (or an escaped "%26") between two fields is
        # ASCII, so the body is UTF-8 exactly when every field is.
        try:
            unquote_to_bytes(data.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    # multipart too: no form here uploads files, so every part must be UTF-8 text
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def safe_redirect_target(target: str | None, fallback: str, prefix: str = "/") -> str:
    """``target`` if it is a path on this site under ``prefix``, else ``fallback``.

    The one check for every ``next`` a form or URL carries: no scheme, no host, no ``//``
    or backslash (browsers read ``/\\host`` as another host) and no control or other
    invisible characters (CR/LF would split the Location header: a 500, or worse).
    """
    if not target or len(target) > 2000 or "\\" in target:
        return fallback
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Zs") for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//") \
            or not target.startswith(prefix):
        return fallback
    return target


def _is_static(endpoint: str | None) -> bool:
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


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
        # Respondents' answers and coordinators' pages must not stay in a shared or back-button
        # cache; static files keep their own caching.
        if not _is_static(request.endpoint) and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
