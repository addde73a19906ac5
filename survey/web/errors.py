"""Error pages in the user's language, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from survey.web.i18n import language

MESSAGES = {
    400: {"sv": "Begäran kunde inte behandlas. Inget av det ni redan sparat har ändrats.",
          "en": "The request could not be processed. Nothing you had saved was changed."},
    403: {"sv": "Ni har inte behörighet till den här sidan.",
          "en": "You do not have access to this page."},
    404: {"sv": "Sidan finns inte. Kontrollera länken.",
          "en": "The page does not exist. Check the link."},
    405: {"sv": "Sidan kan inte användas på det sättet.", "en": "Method not allowed."},
    413: {"sv": "Det som skickades var för stort. Korta texten och försök igen; inget "
          "sparat har ändrats.", "en": "What was sent is too large. Shorten the text and "
          "try again; nothing saved was changed."},
    429: {"sv": "För många försök. Vänta en stund och försök igen.",
          "en": "Too many attempts. Wait a moment and try again."},
    500: {"sv": "Ett oväntat fel inträffade. Inget av det ni redan sparat har gått förlorat. "
          "Försök igen om en stund.", "en": "An unexpected error occurred. Nothing you had "
          "saved is lost. Try again in a while."},
}
CSRF_MESSAGE = {
    "sv": "Formuläret har gått ut eller saknar säkerhetskod (CSRF). Ladda om sidan och "
    "försök igen; inget sparat har ändrats.",
    "en": "The form has expired or lacks its security token (CSRF). Reload the page and try "
    "again; nothing saved was changed.",
}


class BadInput(HTTPException):
    """A 400 with a specific, user-facing explanation."""

    code = 400

    def __init__(self, message: dict[str, str]):
        super().__init__()
        self.user_message = message


def render_error(code: int, message: dict[str, str] | None = None):
    text = (message or MESSAGES.get(code) or MESSAGES[500])[language()]
    return render_template("errors/error.html", code=code, message=text), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500, getattr(error, "user_message", None))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error", exc_info=error)
        return render_error(500)
