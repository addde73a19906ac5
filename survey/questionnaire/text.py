"""Bilingual text, in a module of its own so that the question types can use it without
importing the model (the model reads facts from the types; see types/__init__.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A text in Swedish with an optional English translation."""

    sv: str
    en: str | None = None

    def get(self, lang: str = "sv") -> str:
        return (self.en if lang == "en" and self.en else self.sv) or ""

    def __str__(self) -> str:
        return self.sv
