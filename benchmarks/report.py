"""Benchmark: the national report for all 290 municipalities, two complete rounds.

    .venv/bin/python benchmarks/report.py [--repeat 3] [--keep DIR]

Builds the demo database with complete answers from every municipality in both rounds
(`lagesbild demo --all-municipalities`), stores theme codes from the corpus labels (so the
report has themes, quotes and verified/automatic counts), then times in fresh processes:

1. our whole pipeline: database -> report model -> HTML -> PDF/UA, and
2. WeasyPrint alone on exactly the same final HTML (plain `HTML(string).write_pdf()` with the
   same options, default garbage-collector settings),

and prints time, peak memory (maximum resident set size of the process), page count and the
ratio 1/2 (our overhead). Targets: national report under 20 s, ratio at most 1.2, peak
memory under 1 GB. The largest county report (with its appendix) is timed as well, since
that is what a coordinator waits for in the browser.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUND = "2020-09"
TARGET_SECONDS, TARGET_RATIO, TARGET_MEMORY_MB = 20.0, 1.2, 1024.0


def peak_memory_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- child processes


def child_pipeline(db_path: str, html_out: str, county: str | None) -> dict:
    from reports import county_report, html_to_pdf, national_report, render_html
    from reports.render import page_count
    from survey import store

    started, cpu = time.perf_counter(), time.process_time()
    db = store.connect(db_path)
    if county:
        model = county_report(db, ROUND, county)
    else:
        model = national_report(db, ROUND)
    built = time.perf_counter()
    html = render_html(model)
    rendered = time.perf_counter()
    pdf = html_to_pdf(html)
    finished = time.perf_counter()
    db.conn.close()
    Path(html_out).write_text(html, encoding="utf-8")
    return {"model": built - started, "html": rendered - built, "pdf": finished - rendered,
            "total": finished - started, "cpu": time.process_time() - cpu,
            "pages": page_count(pdf), "html_bytes": len(html),
            "pdf_bytes": len(pdf), "memory_mb": peak_memory_mb()}


def child_weasyprint(html_path: str) -> dict:
    """WeasyPrint alone, with the same options and base URL as reports.render."""
    from weasyprint import HTML

    from reports.html import TEMPLATES
    from reports.render import PDF_OPTIONS

    html = Path(html_path).read_text(encoding="utf-8")
    started, cpu = time.perf_counter(), time.process_time()
    pdf = HTML(string=html, base_url=str(TEMPLATES)).write_pdf(**PDF_OPTIONS)
    return {"total": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "pdf_bytes": len(pdf),
            "memory_mb": peak_memory_mb()}


def child_chapters(html_path: str) -> list[dict]:
    """WeasyPrint alone on each chapter of the report (cover and contents, then every
    ``section.chapter``) with the same head and styles: pages and CPU time per page, to find
    what a page costs independently of other work on the machine."""
    import re

    from weasyprint import HTML

    from reports.html import TEMPLATES
    from reports.render import PDF_OPTIONS

    html = Path(html_path).read_text(encoding="utf-8")
    head, body = html.split("<body>", 1)
    front, main = body.split("<main>", 1)
    parts = [("cover and contents", front)]
    parts += [(m.group(1), m.group(0)) for m in re.finditer(
        r'<section class="chapter" id="([^"]+)".*?(?=<section class="chapter"|</main>)',
        main, re.S)]
    results = []
    for name, part in parts:
        started, cpu = time.perf_counter(), time.process_time()
        document = HTML(string=f"{head}<body><main>{part}</main></body></html>",
                        base_url=str(TEMPLATES)).render(**PDF_OPTIONS)
        document.write_pdf(**PDF_OPTIONS)
        results.append({"chapter": name, "pages": len(document.pages),
                        "cpu": time.process_time() - cpu,
                        "wall": time.perf_counter() - started,
                        "tables": part.count("<table"), "charts": part.count("<svg")})
    return results


def run_child(*arguments: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", *arguments],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- parent


def build_database(directory: Path) -> Path:
    from reports.sample_codes import store_corpus_codes
    from survey import store
    from survey.services import demo

    path = directory / "benchmark.db"
    started = time.perf_counter()
    demo.build(path, everyone=True)
    db = store.connect(path)
    codes = store_corpus_codes(db, "2020-06") + store_corpus_codes(db, ROUND)
    responses = len(store.responses_for_round(db, ROUND))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    print(f"demo database: {responses} municipalities, 2 rounds, {codes} codes "
          f"({time.perf_counter() - started:.1f} s, not timed below)")
    return path


def measure(db_path: Path, directory: Path, repeat: int, county: str | None) -> dict:
    """Runs alternate (ours, WeasyPrint alone, ours, ...) so both see the same background
    load; the ratio is the median of the pairs' ratios."""
    html_path = directory / f"report-{county or 'national'}.html"
    ours, alone = [], []
    for _ in range(repeat):
        ours.append(run_child("pipeline", str(db_path), str(html_path), county or ""))
        alone.append(run_child("weasyprint", str(html_path)))
    median = lambda runs, key: statistics.median(r[key] for r in runs)  # noqa: E731
    return {
        "model": median(ours, "model"), "html": median(ours, "html"),
        "pdf": median(ours, "pdf"), "total": median(ours, "total"),
        "best": min(r["total"] for r in ours),
        "weasyprint": median(alone, "total"),
        "weasyprint_best": min(r["total"] for r in alone),
        "ratio": statistics.median(o["total"] / a["total"]
                                   for o, a in zip(ours, alone, strict=True)),
        "cpu": median(ours, "cpu"), "weasyprint_cpu": median(alone, "cpu"),
        "pages": ours[0]["pages"],
        "memory_mb": max(r["memory_mb"] for r in ours),
        "weasyprint_memory_mb": max(r["memory_mb"] for r in alone),
        "html_bytes": ours[0]["html_bytes"], "pdf_bytes": ours[0]["pdf_bytes"],
        "runs": [round(r["total"], 2) for r in ours],
        "weasyprint_runs": [round(r["total"], 2) for r in alone],
    }


def report_line(name: str, m: dict) -> list[str]:
    return [
        f"{name}: {m['pages']} pages, HTML {m['html_bytes'] / 1e6:.1f} MB, "
        f"PDF {m['pdf_bytes'] / 1e6:.1f} MB",
        f"  ours              {m['total']:6.2f} s median, {m['best']:.2f} s best "
        f"(model {m['model']:.2f} s, HTML {m['html']:.2f} s, PDF {m['pdf']:.2f} s); "
        f"runs {m['runs']}",
        f"  WeasyPrint alone  {m['weasyprint']:6.2f} s median, {m['weasyprint_best']:.2f} s best; "
        f"runs {m['weasyprint_runs']}",
        f"  ratio             {m['ratio']:6.2f} (median of paired runs; best/best "
        f"{m['best'] / m['weasyprint_best']:.2f})",
        f"  peak memory       {m['memory_mb']:6.0f} MB (WeasyPrint alone "
        f"{m['weasyprint_memory_mb']:.0f} MB)",
        f"  per page          {1000 * m['total'] / m['pages']:6.0f} ms "
        f"(CPU {1000 * m['cpu'] / m['pages']:.0f} ms; WeasyPrint alone CPU "
        f"{1000 * m['weasyprint_cpu'] / m['pages']:.0f} ms)",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    parser.add_argument("--keep", type=Path, help="keep the database, HTML and PDF here")
    parser.add_argument("--county", default="14",
                        help="county for the county-report timing (default 14, the largest)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "pipeline":
            result = child_pipeline(rest[0], rest[1], rest[2] if len(rest) > 2 else None)
        elif kind == "chapters":
            result = child_chapters(rest[0])
        else:
            result = child_weasyprint(rest[0])
        print(json.dumps(result))
        return 0

    os.environ.setdefault("PYTHONHASHSEED", "0")
    directory = args.keep or Path(tempfile.mkdtemp(prefix="lagesbild-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}, median of {args.repeat} runs each")
    db_path = build_database(directory)
    national = measure(db_path, directory, args.repeat, None)
    county = measure(db_path, directory, args.repeat, args.county)
    for line in report_line("National report (290 municipalities, round 2020-09)", national):
        print(line)
    for line in report_line(f"County report {args.county} with appendix", county):
        print(line)
    print("National report by chapter (WeasyPrint alone, CPU time, so other load matters "
          "less):")
    for row in run_child("chapters", str(directory / "report-national.html")):
        print(f"  {row['chapter']:<20}{row['pages']:>4} pages {row['tables']:>3} tables "
              f"{row['charts']:>3} charts  {1000 * row['cpu'] / row['pages']:5.0f} ms/page CPU"
              f"  ({1000 * row['wall'] / row['pages']:.0f} ms/page wall)")
    ratio = national["ratio"]
    checks = {
        f"national under {TARGET_SECONDS:.0f} s": national["total"] < TARGET_SECONDS,
        f"ratio at most {TARGET_RATIO}": ratio <= TARGET_RATIO,
        f"peak memory under {TARGET_MEMORY_MB:.0f} MB": national["memory_mb"] < TARGET_MEMORY_MB,
    }
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    if not args.keep:
        for path in directory.iterdir():
            path.unlink()
        directory.rmdir()
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
