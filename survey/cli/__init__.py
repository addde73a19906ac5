"""The `lagesbild` command. Command names, options and output formats are a contract.

Each family of commands lives in its own module; this one only assembles the group.
"""

from __future__ import annotations

import click

from survey.cli import coding as coding_cli
from survey.cli import main, ops, privacy
from survey.cli import reports as report_cli
from survey.cli import review as review_cli
from survey.cli import rounds as rounds_cli
from survey.cli import stats as stats_cli
from survey.cli import worker as worker_cli
from survey.cli import xlsform as xlsform_cli


@click.group()
@click.version_option(package_name="lagesbild")
def cli() -> None:
    """Lägesbild: situation reports from Sweden's municipalities, coded and compiled."""


for command in (main.init, main.check, main.serve, main.demo, coding_cli.code, coding_cli.coding,
                rounds_cli.round, rounds_cli.invite, rounds_cli.user, rounds_cli.export,
                rounds_cli.remind, report_cli.report, privacy.scan_personal_data,
                xlsform_cli.import_xlsform, xlsform_cli.export_xlsform, stats_cli.stats):
    cli.add_command(command)
coding_cli.coding.add_command(review_cli.agreement)
cli.add_command(ops.backup)
cli.add_command(ops.restore)
cli.add_command(worker_cli.worker)

