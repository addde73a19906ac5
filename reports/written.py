"""Written assessments as blocks: the plain text coordinators write, split for a renderer.

The text is paragraphs separated by blank lines; a line starting with "- " is a list item.
Nothing else is markup, so what was written is what is printed (in HTML, PDF or Word).
"""

from __future__ import annotations

from dataclasses import dataclass, field

BULLET = "- "


@dataclass
class Block:
    """A paragraph (``kind`` 'p', its lines joined in ``text``) or a list ('ul', ``items``)."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)


def blocks(text: str | None) -> list[Block]:
    result: list[Block] = []
    lines: list[str] = []

    def close_paragraph() -> None:
        if lines:
            result.append(Block("p", " ".join(lines)))
            lines.clear()

    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            close_paragraph()
            if result and result[-1].kind == "ul":
                result.append(Block("break"))
        elif line.startswith(BULLET) or line == "-":
            close_paragraph()
            if not result or result[-1].kind != "ul":
                result.append(Block("ul"))
            result[-1].items.append(line[2:].strip())
        elif result and result[-1].kind == "ul" and not lines and raw[:1].isspace():
            result[-1].items[-1] += " " + line  # an indented line continues the item
        else:
            lines.append(line)
    close_paragraph()
    return [b for b in result if b.kind != "break" and (b.kind != "ul" or b.items)]
