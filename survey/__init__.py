"""Lägesbild: a survey engine for the county administrative boards' situation reports.

The package is layered (see ARCHITECTURE.md): ``web`` and ``cli`` call ``services``, which call
``store`` (all SQL), ``questionnaire`` (the questionnaire as data), ``coding`` and ``reports``.
"""

from __future__ import annotations

from typing import Any


def create_app(test_config: dict[str, Any] | None = None, instance_path: str | None = None):
    """The Flask application (see ``survey.web.app``).

    Imported here, not at module level, so that ``import survey.store`` from the CLI, the
    reports or a script does not load Flask and every blueprint.
    """
    from survey.web.app import create_app as factory

    return factory(test_config, instance_path)
