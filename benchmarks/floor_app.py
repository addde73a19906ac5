"""The floor for benchmarks/load.py: a bare Flask endpoint that inserts one row into SQLite
(same connection settings and BEGIN IMMEDIATE transaction as the store, and like the app one
connection per server thread kept between requests), served by waitress with the settings of
`lagesbild serve`.

    python benchmarks/floor_app.py DB PORT THREADS
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask, request  # noqa: E402

from survey import store  # noqa: E402


def make_app(db_path: str) -> Flask:
    app = Flask("floor")
    database = store.connect(db_path)
    database.execute("CREATE TABLE IF NOT EXISTS saves (id INTEGER PRIMARY KEY, "
                     "client TEXT NOT NULL, value TEXT NOT NULL, at TEXT NOT NULL)")
    database.conn.close()
    kept = threading.local()

    @app.post("/save")
    def save():
        if getattr(kept, "db", None) is None:
            kept.db = store.connect(db_path)
        with store.transaction(kept.db) as db:
            db.execute("INSERT INTO saves (client, value, at) VALUES (?, ?, ?)",
                       [request.form["client"], request.form["value"], store.now()])
        return "", 302, {"Location": "/saved"}

    return app


if __name__ == "__main__":
    import waitress

    path, port, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    waitress.serve(make_app(path), host="127.0.0.1", port=port, threads=threads,
                   ident="Lagesbild")
