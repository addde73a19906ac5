"""Pages about the service itself: the accessibility statement that DOS-lagen (SFS 2018:1937)
requires of every public-sector web service, linked from the footer of every page.

The statement is long-form text, so each language is its own template rather than a string
per sentence in the catalogues.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template

from survey.web.i18n import language

bp = Blueprint("about", __name__)

#: Digg, the supervising authority for DOS-lagen (from digg.se/tdosanmalan)
SUPERVISOR = {
    "name": "Myndigheten för digital förvaltning (Digg)",
    "address": ("Box 14", "851 02 Sundsvall"),
    "email": "info@digg.se",
    "phone": "0771-11 44 00",
    "form": "https://www.digg.se/tdosanmalan",
}


@bp.route("/tillganglighet")
def accessibility():
    contact = (current_app.config.get("ACCESSIBILITY_CONTACT")
               or current_app.config["MAIL_FROM"])
    return render_template(f"about/accessibility_{language()}.html", contact=contact,
                           supervisor=SUPERVISOR)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
