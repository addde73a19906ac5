"""Error pages in the user's language, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from survey.web.i18n import language, t

HANDLED = (400, 403, 404, 405, 413, 429, 500)  # each has a message "http_<code>" in the catalogue


class BadInput(HTTPException):
    """A 400 with a specific, user-facing explanation."""

    code = 400

    def __init__(self, message: dict[str, str]):
        super().__init__()
        self.user_message = message


def render_error(code: int, message: dict[str, str] | str | None = None):
    """The error page: ``message`` as text or in both languages, else the catalogue's text
    for the code."""
    if isinstance(message, str):
        text = message
    elif message:
        text = message[language()]
    else:
        text = t(f"http_{code if code in HANDLED else 500}")
    return render_template("errors/error.html", code=code, message=text), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return render_error(400, t("csrf_expired"))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500, getattr(error, "user_message", None))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error", exc_info=error)
        return render_error(500)
