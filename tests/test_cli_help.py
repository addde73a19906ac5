"""The command line is a contract: every command's --help is held against a snapshot.

Written before the package moves so that moving files cannot change a command, an option or
a help text unnoticed. Regenerate deliberately with LAGESBILD_UPDATE_SNAPSHOTS=1 when an issue
changes the contract.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.testing import CliRunner

from survey.cli import cli

SNAPSHOT = Path(__file__).parent / "snapshots" / "cli-help.txt"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    yield prefix
    for name in sorted(group.list_commands(None)):
        command = group.get_command(None, name)
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))
        else:
            yield prefix + (name,)


def _all_help() -> str:
    runner = CliRunner()
    parts = []
    for path in _commands(cli):
        result = runner.invoke(cli, [*path, "--help"], terminal_width=100)
        assert result.exit_code == 0, (path, result.output)
        parts.append(f"$ lagesbild {' '.join(path)} --help\n{result.output}")
    return "\n".join(parts)


def test_every_help_text_matches_the_snapshot():
    text = _all_help()
    if os.environ.get("LAGESBILD_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8")


def test_snapshot_names_every_command():
    text = SNAPSHOT.read_text(encoding="utf-8")
    for path in _commands(cli):
        assert f"$ lagesbild {' '.join(path)} --help".rstrip() in text
