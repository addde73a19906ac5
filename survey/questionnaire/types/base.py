"""What every question type answers, with the defaults most types share.

A question type is behaviour, not data: the model's ``Question`` holds what the YAML says,
and ``types.of(question)`` gives the object that knows how a value of that type is checked,
read from a posted form, shown as text, exported and made up for the demo. Everything that
differs between types lives in its type's module, so nothing else branches on
``question.type`` and a new type is one module plus one line in the registry.

The type modules import the model only for type hints: the model itself reads the facts
about its types (value kind, whether it stores an answer, text limit) from the registry.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol

from wtforms import Field

from survey.questionnaire.messages import message

if TYPE_CHECKING:
    from survey.questionnaire.model import Question

#: Export columns holding an option's Swedish label end in this, beside the code column.
LABEL_SUFFIX = "__label"
#: Between the parts of an answer written on one line (chosen options, matrix rows): option
#: labels contain commas ("Polis, kriminalvård"), so a comma would run two options together.
ITEM_SEPARATOR = " · "


class FormData(Protocol):
    """The posted form as the types read it (werkzeug's MultiDict is one)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[str]: ...

    def __iter__(self) -> Iterator[str]: ...


class ExportColumn(NamedTuple):
    """One export column of a question; survey.services.export adds the question's name."""

    key: str
    label: str  # Swedish
    part: str  # value, label, option or row


class QuestionType:
    """The defaults are those of a simple one-value question such as ``text``."""

    #: The YAML ``type`` name.
    name: ClassVar[str]
    #: The kind of value an answer holds; what the expression language type-checks against.
    kind: ClassVar[str]
    #: Notes only show text: they have no field and nothing is stored.
    stores_answer: ClassVar[bool] = True
    #: Free-text types have a character limit (said on the page); None for the others.
    default_max_length: ClassVar[int | None] = None
    #: Which YAML keys the type accepts beyond the common ones, for the loader.
    takes_options: ClassVar[bool] = False
    takes_rows: ClassVar[bool] = False
    takes_pattern: ClassVar[bool] = False
    appearances: ClassVar[tuple[str, ...]] = ()
    #: What ``min``/``max`` are: "number", "date", or None when they do not apply.
    bounds: ClassVar[str | None] = None

    @property
    def free_text(self) -> bool:
        return self.default_max_length is not None

    # ---------------------------------------------------------------- rules

    def check(self, question: Question, value: Any, lang: str) -> str | None:
        """The type's own problem with a non-empty value (after the shared text checks
        and before the question's constraint, see engine.check_value), or None."""
        return None

    def missing(self, question: Question, value: Any, lang: str) -> str | None:
        """The message for a required question left unanswered, or None."""
        if value is None or value == "" or value == [] or value == {}:
            return message("required", lang)
        return None

    # ---------------------------------------------------------------- web form

    def field(self, question: Question, lang: str) -> Field | None:
        """The unbound WTForms field the page form class gets for this question."""
        raise NotImplementedError

    def parse(self, question: Question, formdata: FormData) -> Any:
        """The stored value from the posted form; raises ValueError(message key)."""
        return formdata.get(question.name, "").strip() or None

    def form_data(self, question: Question, value: Any) -> Any:
        """A stored (non-None) value in the shape the WTForms field expects."""
        return value

    # ---------------------------------------------------------------- reading and export

    def display(self, question: Question, value: Any, lang: str) -> str:
        """A non-empty answer as people read it."""
        return str(value)

    def display_items(self, question: Question, value: Any, lang: str) -> list[str] | None:
        """A non-empty answer of several parts as one line per part, for pages that show
        them as a list; None for a one-part answer."""
        return None

    def option_text(self, question: Question, value: str, lang: str) -> str:
        """What the form writes beside one option's button."""
        return question.option_label(value, lang)

    def export_columns(self, question: Question) -> list[ExportColumn]:
        return [ExportColumn(question.name, question.label.sv, "value")]

    def export_cells(self, question: Question, value: Any) -> dict[str, Any]:
        """The cells of one (non-None) answer, keyed like ``export_columns``."""
        return {question.name: value}

    # ---------------------------------------------------------------- demo

    def demo_value(self, question: Question, rng: random.Random,
                   weights: Sequence[float] | None = None) -> Any:
        """A plausible answer for the demo rounds, or None to leave it unanswered.

        ``weights`` are how likely each option is, for the types that pick options by
        weight; the others ignore them. Draw from ``rng`` only, so a seed repeats a run.
        """
        return None


def option_values(question: Question) -> set[str]:
    return {option.value for option in question.options}
