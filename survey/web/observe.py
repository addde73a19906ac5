"""What operations sees: one JSON log line per request, and ``/healthz``.

A request line holds the method, the matched route *rule* (``/s/<token>``, never the path
with the token in it), the status, the time taken and a request id; never a query string,
form field, answer, token or password. Lines go to the ``lagesbild.requests`` logger, which
writes to stderr unless the installation has given it handlers of its own.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Blueprint, Flask, current_app, g, jsonify, request

from survey import store

bp = Blueprint("observe", __name__)
logger = logging.getLogger("lagesbild.requests")

# An incoming X-Request-ID (from a proxy) is kept only when it cannot carry anything else.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message and the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(
                    timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name,
                "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


@bp.route("/healthz")
def healthz():
    checks = store.health(current_app.config["DB"])
    ok = checks == {"database": "ok", "migrations": "current"}
    response = jsonify(checks)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _start() -> None:
    g.request_started = time.perf_counter()
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def _log(response):
    started = g.get("request_started")
    if started is None:
        return response
    rule = request.url_rule.rule if request.url_rule is not None else None
    fields = {"request_id": g.request_id, "method": request.method,
              "route": rule or "<unmatched>", "endpoint": request.endpoint,
              "status": response.status_code,
              "duration_ms": round((time.perf_counter() - started) * 1000, 1)}
    response.headers.setdefault("X-Request-ID", g.request_id)
    logger.info("request", extra={"fields": fields})
    return response


class _Stderr(logging.StreamHandler):
    """Whatever sys.stderr is at the time of writing (test runners and daemons replace it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging() -> None:
    """stderr in JSON unless someone has already configured the logger."""
    if not logger.handlers:
        handler = _Stderr()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def register(app: Flask) -> None:
    configure_logging()
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_log)
    app.register_blueprint(bp)
