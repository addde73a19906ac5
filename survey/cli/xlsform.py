"""`lagesbild import-xlsform` and `lagesbild export-xlsform`: questionnaires to and from the
spreadsheet format of ODK and KoboToolbox."""

from __future__ import annotations

from pathlib import Path

import click

from survey.questionnaire import loader, xlsform_in, xlsform_out
from survey.questionnaire.xlsform import XLSFormError


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)
    raise click.exceptions.Exit(1)


@click.command("import-xlsform")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The questionnaire YAML to write.")
def import_xlsform(file: str, output: str) -> None:
    """Read an XLSForm (.xlsx) and write questionnaire YAML.

    Reads the survey, choices and settings sheets: groups become pages, select_one and
    select_multiple single and multiple questions, ${name}, selected() and count-selected()
    our expressions. Whatever cannot be carried over is printed as FILE:SHEET:ROW: message,
    all of it at once; the exit status is then 1 and nothing is written.
    """
    try:
        text = xlsform_in.convert(file, output)
    except XLSFormError as error:
        _fail(error.problems)
    Path(output).write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)


@click.command("export-xlsform")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The XLSForm workbook (.xlsx) to write.")
def export_xlsform(file: str, output: str) -> None:
    """Write a questionnaire YAML file as an XLSForm workbook (.xlsx).

    One group per page, labels as label::Svenska (sv) and label::English (en), expressions
    as XLSForm XPath. Matrix, scale and boolean questions become select_one constructs that
    import-xlsform brings back the same. Problems are printed as FILE:LINE: message; the exit
    status is then 1 and nothing is written.
    """
    try:
        questionnaire = loader.load(file)
        data = xlsform_out.to_bytes(questionnaire)
    except loader.QuestionnaireError as error:
        _fail([str(problem) for problem in error.problems])
    except XLSFormError as error:
        _fail(error.problems)
    Path(output).write_bytes(data)
    click.echo(f"wrote {output}", err=True)
