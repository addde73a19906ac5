"""`python -m survey.cli`: the same command as `lagesbild`."""

from survey.cli import cli

cli()
