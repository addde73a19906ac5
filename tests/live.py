"""A real WSGI server (waitress) in a thread and real headless Chromium, for browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def screenshot_dir() -> Path:
    """Where browser tests put their page images: docs/ (the README shows them) only when
    asked with LAGESBILD_SCREENSHOTS=1 (`make screenshots`), else a temporary folder, so an
    ordinary test run leaves the checkout unchanged."""
    if os.environ.get("LAGESBILD_SCREENSHOTS") == "1":
        return Path(__file__).resolve().parent.parent / "docs"
    folder = Path(tempfile.gettempdir()) / "lagesbild-screenshots"
    folder.mkdir(exist_ok=True)
    return folder


def require_chromium() -> None:
    """Browser tests fail (never skip) without Chromium: `make test` installs it, and a
    silently skipped accessibility test would hide exactly what the law requires."""
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    where = "in CI" if os.environ.get("CI") == "true" else "here"
    pytest.fail(f"Chromium is required {where}: {CHROMIUM} not found "
                "(run `make system-deps` or apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve the app with waitress on a free loopback port until the block ends."""
    import logging

    from waitress.server import create_server

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" noise

    server = create_server(app, host="127.0.0.1", port=free_port(), threads=4,
                           ident="Lagesbild-test")
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:  # the loop's select() saw the sockets closed under it: stopping
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stopping.set()
        server.task_dispatcher.shutdown()  # finish requests in flight before closing sockets
        server.close()
        thread.join(timeout=5)
        for channel in list(server._map.values()):  # kept-alive connections the loop left
            channel.close()


@contextmanager
def chromium() -> Iterator:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        {"id": v["id"], "impact": v.get("impact"), "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
    ]
