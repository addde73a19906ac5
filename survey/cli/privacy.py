"""`lagesbild scan-personal-data`: find personal data in free text before it travels on.

Input and error handling follow `lagesbild code`: JSON Lines in, one line out per line in.
"""

from __future__ import annotations

import click

from coding.personal_data import scan
from survey.cli.jsonlines import dump, read_answers


@click.command("scan-personal-data")
@click.argument("file", required=False, default="-",
                type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--explain", is_flag=True,
              help="Add the passage and a Swedish explanation to each finding.")
def scan_personal_data(file: str, explain: bool) -> None:
    """Sök personuppgifter i fritext / Find personal data in free text.

    Reads JSON Lines {"id": ..., "text": ...} from FILE (stdin without FILE) and writes one
    line per input, in order: {"id": ..., "findings": [{"kind", "start", "end"}]} with kind
    personnummer, samordningsnummer, phone, email, address or individual_case and character
    offsets into the text. An invalid line gives {"id": ..., "line": N, "error": ...}; the
    exit status is then 1.
    """
    errors = 0
    with click.open_file(file, encoding="utf-8-sig", errors="replace") as handle:
        for number, answer_id, text, error in read_answers(handle):
            if error is not None:
                errors += 1
                click.echo(f"rad {number} (line {number}): {error}", err=True)
                click.echo(dump({"id": answer_id, "line": number, "error": error}))
                continue
            findings = [_finding(f, explain) for f in scan(text)]
            click.echo(dump({"id": answer_id, "findings": findings}))
    if errors:
        raise click.exceptions.Exit(1)


def _finding(finding, explain: bool) -> dict:
    row = {"kind": finding.kind, "start": finding.start, "end": finding.end}
    if explain:
        row.update(text=finding.text, explanation=finding.explanation)
    return row
