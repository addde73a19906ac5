"""Operations: `lagesbild backup FILE` and `lagesbild restore FILE`."""

from __future__ import annotations

import sys

import click

from survey import store
from survey.cli.common import db_path


def _summary(info: store.BackupInfo) -> None:
    click.echo(f"{info.path}: {info.size} bytes, integrity_check {', '.join(info.integrity)}")
    total = sum(info.counts.values())
    click.echo(f"{len(info.counts)} tables, {total} rows: " + ", ".join(
        f"{name} {count}" for name, count in info.counts.items() if count))


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
def backup(file: str) -> None:
    """Copy the database at $LAGESBILD_DB to FILE, safely while it is served; check the copy."""
    try:
        info = store.backup(db_path(), file)
    except store.MaintenanceError as error:
        click.echo(f"backup refused: {error}", err=True)
        sys.exit(1)
    click.echo(f"backup of {db_path()} written")
    _summary(info)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
def restore(file: str) -> None:
    """Replace the database at $LAGESBILD_DB with the backup FILE (the server must be stopped;
    the backup must pass integrity_check and not be newer than this version)."""
    try:
        info = store.restore(file, db_path())
    except store.MaintenanceError as error:
        click.echo(f"restore refused: {error}", err=True)
        sys.exit(1)
    click.echo(f"{file} restored to {db_path()}")
    _summary(info)
