"""`lagesbild stats`: how far each round has come, in municipalities."""

from __future__ import annotations

import json

import click

from survey import create_app, store


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per round instead.")
def stats(as_json: bool) -> None:
    """Per round: invited, started, submitted, coded and reviewed municipalities."""
    app = create_app()
    db = store.connect(app.config["DB"])
    try:
        rows = store.round_stats(db)
    finally:
        db.conn.close()
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if not rows:
        click.echo("no rounds")
        return
    width = max(len("round"), *(len(row["round_id"]) for row in rows))
    click.echo("round".ljust(width) + "".join(f"{name:>11}" for name in store.STAT_COLUMNS))
    for row in rows:
        click.echo(row["round_id"].ljust(width)
                   + "".join(f"{row[name]:>11}" for name in store.STAT_COLUMNS))
