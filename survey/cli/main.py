"""The set-up commands: create the database, check YAML, serve, and build the demo."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import click

from coding.codebook import codebook_check
from survey import create_app, store
from survey.cli import worker as worker_cli
from survey.cli.common import db_path, open_db
from survey.questionnaire import loader
from survey.questionnaire.loader import QuestionnaireError
from survey.services import demo as demo_data
from survey.services import versions


@click.command()
@click.option("--questionnaires", "directory", type=click.Path(file_okay=False, exists=True),
              help="Folder of questionnaire YAML files (default: the packaged ones).")
def init(directory: str | None) -> None:
    """Create or upgrade the database at $LAGESBILD_DB; load organisations and questionnaires."""

    db = open_db()
    applied = store.init(db)
    for name in applied:
        click.echo(f"applied migration {name}")
    try:
        loaded = versions.import_directory(db, directory)
    except QuestionnaireError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    counts = (len(store.counties(db)), len(store.municipalities(db)))
    click.echo(f"database {db_path()}: {counts[0]} counties, {counts[1]} municipalities, "
               f"{len(loaded)} questionnaire(s): "
               + ", ".join(f"{q.id} {q.version}" for q in loaded))


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
def check(files: tuple[str, ...]) -> None:
    """Validate questionnaire (and codebook) YAML files: one FILE:LINE: message per problem."""

    problems: list[str] = []
    for name in files:
        problems += [str(p) for p in _check_one(Path(name), loader)]
    for problem in problems:
        click.echo(problem)
    if problems:
        sys.exit(1)
    click.echo(f"{len(files)} file(s) OK", err=True)


def _check_one(path: Path, loader) -> list:
    """Questionnaires have `pages`, codebooks have `themes`; each has its own checker."""
    if path.exists() and path.is_file():
        try:
            head, _ = loader.parse_yaml(path.read_text(encoding="utf-8"), str(path))
        except UnicodeDecodeError:
            head = None
        if isinstance(head, dict) and "themes" in head and "pages" not in head:

            return codebook_check(path)
    return loader.check(path)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web application with waitress (a production WSGI server)."""
    _serve(host, port, threads)


def _serve(host: str, port: int, threads: int, then: list[str] | None = None) -> None:
    """waitress.serve, opened by hand so that ``then`` (the demo's links and accounts) is
    printed after the server's own start lines, as the last thing on the terminal."""
    import logging

    import waitress

    app = create_app()
    click.echo(f"Serving Lägesbild on http://{host}:{port}/ (database {app.config['DB']})")
    logging.basicConfig()
    server = waitress.create_server(app, host=host, port=port, threads=threads,
                                    ident="Lagesbild")
    server.print_listen("Serving on http://{}:{}")  # as waitress.serve does (a log record)
    for line in then or ():
        click.echo(line)
    with worker_cli.background_workers(app):  # background jobs run beside the server (#12)
        server.run()


@click.command()
@click.option("--no-serve", is_flag=True, help="Only build the demo database.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--all-municipalities", is_flag=True,
              help="Complete answers for all 290 municipalities in both rounds (benchmarks).")
@click.option("--force", is_flag=True,
              help="Replace the database even when it is not a demo database.")
def demo(no_serve: bool, host: str, port: int, all_municipalities: bool, force: bool) -> None:
    """A fresh demo database at $LAGESBILD_DB with the 2020 rounds, then serve it."""
    if not no_serve:
        _require_free_port(host, port)
    path = Path(db_path())
    _refuse_real_database(path, force)
    click.echo(f"Demodatabasen {path} byggs om från början (the demo database is rebuilt "
               "from scratch; an earlier demo database there is replaced) …")
    base_url = os.environ.get("LAGESBILD_BASE_URL", f"http://{host}:{port}")
    outbox = _demo_outbox(path)
    summary = demo_data.build(path, base_url=base_url, everyone=all_municipalities,
                              autocode=True)
    links_file = path.with_name(path.stem + "-lankar.csv")
    links_file.write_text(summary.links_csv(), encoding="utf-8")
    for line in summary.lines(links_file):
        click.echo(line)
    block = summary.block(outbox)
    if no_serve:
        for line in block:
            click.echo(line)
        return
    os.environ.setdefault("LAGESBILD_BASE_URL", base_url)
    os.environ.setdefault("LAGESBILD_MAIL_OUTBOX", outbox)
    _serve(host, port, 8, then=block)


def _demo_outbox(path: Path) -> str:
    """The demo has no mail server: reminders go to a folder next to its database (emptied
    with each rebuild, since the links in old mails no longer work), unless
    LAGESBILD_MAIL_OUTBOX names another one, which is left as it is."""
    chosen = os.environ.get("LAGESBILD_MAIL_OUTBOX")
    if chosen:
        return chosen
    folder = path.with_name(path.stem + "-utkorg")
    if folder.is_dir():
        for old in folder.glob("*.eml"):
            old.unlink()
    return str(folder)


def _require_free_port(host: str, port: int) -> None:
    """Check the port before building anything, so a taken port costs nothing."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            click.echo(f"Port {port} på {host} används redan; välj en annan med --port "
                       f"(port {port} is already in use; choose another with --port).",
                       err=True)
            sys.exit(1)


def _refuse_real_database(path: Path, force: bool) -> None:
    """The demo replaces its own database, never one with real rounds, answers or accounts."""
    if force or not path.exists():
        return
    db = store.connect(path)
    try:
        real = store.holds_data(db) and not store.is_demo(db)
    finally:
        db.conn.close()
    if real:
        click.echo(f"{path} är ingen demodatabas och ersätts inte; ange en annan LAGESBILD_DB "
                   f"eller --force ({path} is not a demo database and is kept; set another "
                   "LAGESBILD_DB or use --force).", err=True)
        sys.exit(1)
