"""Background jobs outside the request: `lagesbild worker`, and the worker threads that
`lagesbild serve` and `demo` run beside the web server (so one command still serves all).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask

from survey import create_app
from survey.web import jobs as web_jobs


@click.command()
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Threads that run jobs at the same time.")
def worker(workers: int) -> None:
    """Run background jobs (report files, retraining) until stopped with Ctrl-C.

    For a worker process of its own: then set JOBS_WORKERS=0 for `lagesbild serve`.
    """
    app = create_app()
    queue = web_jobs.queue(app)
    if queue.settings.immediate:
        click.echo("JOBS_IMMEDIATE är på: jobben körs direkt i webbförfrågan och behöver ingen "
                   "worker (JOBS_IMMEDIATE is on: jobs run inside the request).", err=True)
        sys.exit(1)
    click.echo(f"Kör bakgrundsjobb för {app.config['DB']} med {workers} trådar "
               f"(running background jobs with {workers} threads; Ctrl-C stops).")
    queue.run_consumer(workers)


@contextmanager
def background_workers(app: Flask) -> Iterator[None]:
    """huey's consumer threads inside this process while the server runs (JOBS_WORKERS)."""
    count = int(app.config.get("JOBS_WORKERS") or 0)
    queue = web_jobs.queue(app)
    if count <= 0 or queue.settings.immediate:
        yield
        return
    consumer = queue.start_consumer(count)
    try:
        yield
    finally:
        consumer.stop(graceful=False)
