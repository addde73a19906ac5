"""`lagesbild report`: a county or national report as PDF/UA, one HTML file or Word (.docx)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from reports import county_report, html_to_pdf, national_report, render_html
from reports.data import ReportError
from reports.docx import html_to_docx
from reports.render import page_count
from survey import store
from survey.cli.common import open_db


def resolve_county(db, value: str) -> str:
    """A county by code ("13") or by name ("Halland", "Hallands län")."""

    wanted = value.strip().lower()
    for county in store.counties(db):
        if wanted in (county["code"], county["name"].lower(), county["name_short"].lower()):
            return county["code"]
    raise click.BadParameter(f"no county '{value}' (use a code such as 13)", param_hint="--county")


SUFFIXES = {".html": "html", ".htm": "html", ".docx": "docx"}


def format_of(output: Path) -> str:
    """The format a file name asks for: .html/.htm, .docx, otherwise PDF."""
    return SUFFIXES.get(output.suffix.lower(), "pdf")


@click.command("report")
@click.option("--round", "round_id", required=True, help="Round id, e.g. 2020-09.")
@click.option("--county", "county", help="County code (13) or name (Halland).")
@click.option("--national", is_flag=True, help="The national report over all counties.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write.")
@click.option("--format", "output_format", type=click.Choice(["pdf", "html", "docx"]),
              help="pdf (default), html or docx; taken from the file name when it ends in "
                   ".html or .docx.")
@click.option("--autocode", is_flag=True,
              help="If the round has no stored codes, code the free texts now (not stored).")
@click.option("--no-appendix", is_flag=True,
              help="Leave out the appendix with each municipality's answers (county report).")
def report(round_id: str, county: str | None, national: bool, output: Path,
           output_format: str | None, autocode: bool, no_appendix: bool) -> None:
    """Write the county or national situation report of a round (PDF/UA, HTML or Word)."""

    if bool(county) == national:
        raise click.UsageError("give exactly one of --county CC and --national")
    output_format = output_format or format_of(output)
    db = open_db()
    started = time.perf_counter()
    try:
        if national:
            pages = _national(db, round_id, output, output_format, autocode)
        else:
            pages = _county(db, round_id, resolve_county(db, county), output, output_format,
                            autocode, not no_appendix)
    except ReportError as error:
        raise click.ClickException(str(error)) from None
    finally:
        db.conn.close()
    seconds = time.perf_counter() - started
    size = f", {pages} pages" if pages else ""
    click.echo(f"wrote {output} ({output_format}{size}, {seconds:.1f} s)")


def _county(db, round_id: str, county_code: str, output: Path, output_format: str,
            autocode: bool, appendix: bool) -> int | None:

    model = county_report(db, round_id, county_code, autocode=autocode, appendix=appendix)
    html = render_html(model)
    return _write(html, output, output_format, html_to_pdf, page_count)


def _national(db, round_id: str, output: Path, output_format: str, autocode: bool
              ) -> int | None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


    steps = 1 + len(store.counties(db)) + (1 if output_format == "html" else 2)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total}"), TimeElapsedColumn(), transient=False) as progress:
        task = progress.add_task("National report: reading answers", total=steps)

        def step(name: str) -> None:
            label = "reading answers" if name == "data" else f"county {name}"
            progress.update(task, advance=1, description=f"National report: {label}")

        model = national_report(db, round_id, autocode=autocode, progress=step)
        progress.update(task, description="National report: writing HTML")
        html = render_html(model)
        progress.advance(task)
        if output_format != "html":
            progress.update(task, description=f"National report: writing the "
                                              f"{output_format.upper()}")
        pages = _write(html, output, output_format, html_to_pdf, page_count)
        progress.update(task, completed=steps, description="National report: done")
    return pages


def _write(html: str, output: Path, output_format: str, html_to_pdf, page_count) -> int | None:
    output.parent.mkdir(parents=True, exist_ok=True)
    if output_format == "html":
        output.write_text(html, encoding="utf-8")
        return None
    if output_format == "docx":
        html_to_docx(html, output)
        return None
    html_to_pdf(html, output)
    return page_count(output)
