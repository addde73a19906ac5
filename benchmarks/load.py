"""Load on the answering flow: real HTTP against a real waitress server, real SQLite file.

Many municipalities save pages at the same time (the days before a deadline). Prints the
throughput and latency of page saves, their ratio to serving a static file on the same server,
and checks afterwards that every acknowledged save is in the database (nothing lost).

    python benchmarks/load.py [--clients 24] [--saves 20]
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey import (
    create_app,
    demo,  # noqa: E402
    store,
)
from tests.live import serve  # noqa: E402


class Browser:
    """A minimal cookie-keeping HTTP client (one connection, like one browser tab)."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookie = ""

    def request(self, method: str, path: str, body: dict | list | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, response.getheader("Location"), text


def run(clients: int, saves: int) -> int:
    tmp = Path(tempfile.mkdtemp())
    summary = demo.build(tmp / "load.db", base_url="")
    db = store.connect(tmp / "load.db")
    by_name = {m["name"]: m["code"] for m in store.municipalities(db)}
    open_responses = [  # submitted responses are read-only: load the ones still answering
        url for name, round_id, url in summary.links if round_id == "2020-09"
        and (store.get_response(db, round_id, by_name[name]) or {}).get("status")
        != store.SUBMITTED]
    links = (open_responses * clients)[:clients]  # colleagues share a link when needed
    app = create_app({"DB": str(tmp / "load.db"), "SECRET_KEY": "bench"},
                     instance_path=str(tmp / "instance"))
    save_times: list[float] = []
    static_times: list[float] = []
    acknowledged: list[tuple[str, str]] = []
    refused: list[tuple[str, str]] = []
    failures: list[str] = []
    lock = threading.Lock()

    def municipality(link: str) -> None:
        browser = Browser(base)
        status, location, _ = browser.request("GET", link)
        start = urlsplit(location).path
        code = start.rstrip("/").split("/")[-1]
        page_path = start + "sida/other"
        for i in range(saves):
            _, _, html = browser.request("GET", page_path)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
            revision = re.search(r'name="_revision" value="(\d+)"', html)
            text = f"Sparning {i} från {code}"
            began = time.perf_counter()
            status, _, _ = browser.request("POST", page_path, [
                ("csrf_token", token.group(1)), ("_revision", revision.group(1)),
                ("_present", "other_comments"), ("other_comments", text), ("action", "save")])
            elapsed = time.perf_counter() - began
            began = time.perf_counter()
            browser.request("GET", "/static/style.css")
            static_elapsed = time.perf_counter() - began
            with lock:
                if status == 409:  # a colleague saved first: shown, kept in history
                    refused.append((code, text))
                elif status != 302:
                    failures.append(f"{code}: save {i} got {status}")
                else:
                    acknowledged.append((code, text))
                    save_times.append(elapsed)
                    static_times.append(static_elapsed)
        browser.conn.close()

    with serve(app) as base:
        threads = [threading.Thread(target=municipality, args=(link,)) for link in links]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began

    kept = set()
    for code in {code for code, _ in acknowledged + refused}:
        response_id = store.get_response(db, "2020-09", code)["id"]
        kept |= {(code, h["kind"], h["new_value"])
                 for h in store.history(db, response_id, "other_comments")}
    lost = [(code, text) for code, text in acknowledged if (code, "change", text) not in kept]
    lost += [(code, text) for code, text in refused if (code, "conflict", text) not in kept]
    saves_done = len(save_times)
    p50 = statistics.median(save_times)
    p95 = statistics.quantiles(save_times, n=20)[-1]
    static_p50 = statistics.median(static_times)
    print(f"clients: {len(links)} on {len(set(links))} links, acknowledged saves: {saves_done},"
          f" conflicts shown: {len(refused)}, failures: {len(failures)}")
    print(f"throughput: {saves_done / wall:.1f} saves/s over {wall:.1f} s (waitress, 4 threads)")
    print(f"save latency: median {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    print(f"ratio save/static-file median latency (same run): {p50 / static_p50:.1f}")
    print(f"saves missing from the answer history (acknowledged or conflicting): {len(lost)}")
    return 1 if lost or failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--saves", type=int, default=20)
    arguments = parser.parse_args()
    sys.exit(run(arguments.clients, arguments.saves))
