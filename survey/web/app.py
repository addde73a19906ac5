"""The application factory: settings, extensions, blueprints and start-up migrations."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from survey import settings, store
from survey.web import autocode, db, errors, i18n, observe, security
from survey.web.about import views as about
from survey.web.compile import views as compilation
from survey.web.coordinate import views as coordinate
from survey.web.reports import views as report_downloads
from survey.web.respond import views as respond
from survey.web.review import views as review

csrf = CSRFProtect()

def create_app(test_config: dict[str, Any] | None = None,
               instance_path: str | None = None) -> Flask:
    """Defaults, then instance/config.py, then LAGESBILD_* environment variables."""
    app = Flask("survey.web", instance_relative_config=True, instance_path=instance_path)
    app.config.from_mapping(settings.defaults())
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("LAGESBILD", loads=_env_value)
    if test_config:
        app.config.update(test_config)
    _configure(app)
    app.url_map.converters["id"] = RowId


    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    security.register(app)  # first: its UTF-8 check must see the body before CSRF parses it
    csrf.init_app(app)
    errors.register(app)
    i18n.register(app)
    app.register_blueprint(respond.bp)
    _register_areas(app)

    app.teardown_appcontext(db.close_db)  # keeps the thread's connection for its next request

    with app.app_context():
        database = store.connect(app.config["DB"])
        store.migrate(database)
        database.conn.close()
    # held while this application exists: `lagesbild restore` refuses a database being served
    app.extensions["lagesbild_serving_lock"] = store.ServingLock(app.config["DB"])
    return app


class RowId(IntegerConverter):
    """A database row id in a URL: larger than SQLite's integers is a 404, not a crash."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        super().__init__(map, *args, max=2**63 - 1, **kwargs)


def _env_value(value: str) -> Any:
    import json

    try:
        return json.loads(value)
    except ValueError:
        return value


def _configure(app: Flask) -> None:
    config = app.config
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    if str(config.get("BASE_URL", "")).startswith("https://"):
        config["SESSION_COOKIE_SECURE"] = True  # links and logins only ever travel over TLS
        config["REMEMBER_COOKIE_SECURE"] = True
    config["WTF_CSRF_TIME_LIMIT"] = None  # a form may stay open all afternoon
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret(app)


def _instance_secret(app: Flask) -> str:
    """A per-installation key kept in the instance folder, so sessions survive restarts."""
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def _register_areas(app: Flask) -> None:
    """Each area wires its own blueprints, hooks and login handling."""

    for area in (autocode, coordinate, review, report_downloads, about, observe, compilation):
        area.register(app)
