"""Charts as plain geometry (rectangles and text) for the SVG macro in _charts.html.

Hand-made SVG is the fastest to render in WeasyPrint and gives full control of <title> (the
PDF figure's /Alt text) and <desc> (the numbers in words). Every chart in a report is
followed by a table with the same numbers; colour is never the only carrier of meaning
(each segment is labelled or listed in the legend and the table).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from reports.labels import number
from reports.model import Distribution

WIDTH = 640
FONT = 11
ROW = 22
LABEL_WIDTH = 210
CHAR_WIDTH = 0.6 * FONT  # DejaVu Sans is wide; enough for label layout
BAR_COLOR = "#1f5f99"
TEXT_COLOR = "#1a1a1a"

#: Colours per answer value: dark enough for white text (contrast >= 4.5:1), except
#: "unknown" which is light with dark text.
SERIES_COLORS = {
    "high": "#7a1f00", "medium": "#b04500", "low": "#1f5f99", "unknown": "#d0d0d0",
    "increased": "#7a1f00", "unchanged": "#5c5c5c", "decreased": "#1f5f99",
}
LIGHT = {"unknown"}

@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    fill: str = TEXT_COLOR
    bold: bool = False
    size: int = FONT


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


class ChartMaker:
    """Makes the charts of one document, with ids unique in it (aria-labelledby needs them)
    and the same from run to run (the same report renders to the same HTML)."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def _id(self) -> str:
        return f"chart-{next(self._ids)}"

    def bars(self, title: str, items: list[tuple[str, int]], base: int,
             unit: str = "kommuner") -> Chart:
        return bar_chart(self._id(), title, items, base, unit)

    def distribution(self, distribution: Distribution, title: str | None = None) -> Chart:
        return self.bars(title or distribution.title,
                         [(c.label, c.count) for c in distribution.categories],
                         distribution.base)

    def stacked(self, title: str, rows: list[tuple[str, Distribution]], values: list[str]
                ) -> Chart:
        return stacked_chart(self._id(), title, rows, values)


def wrap(text: str, width: float, lines: int = 2) -> list[str]:
    """Word-wrap ``text`` to at most ``lines`` lines of ``width`` px, ellipsis if cut."""
    limit = max(4, int(width / CHAR_WIDTH))
    out: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:limit - 2].rstrip() + " …"
    return [line if len(line) <= limit else line[:limit - 2] + " …" for line in out]


def bar_chart(chart_id: str, title: str, items: list[tuple[str, int]], base: int,
              unit: str = "kommuner") -> Chart:
    """Horizontal bars, one per item, each labelled with its count and the denominator."""
    height = ROW * len(items) + 2 * ROW
    chart = Chart(chart_id, f"Diagram: {title}", _describe(items, base, unit), WIDTH,
                  int(height))
    scale_max = max([base, *(value for _, value in items)]) or 1
    bar_space = WIDTH - LABEL_WIDTH - 70
    y = ROW // 2
    for label, value in items:
        chart.texts += _label_lines(label, y)
        w = bar_space * value / scale_max
        chart.rects.append(Rect(LABEL_WIDTH, y + 3, max(w, 0.5), ROW - 8, BAR_COLOR))
        chart.texts.append(Text(LABEL_WIDTH + w + 5, y + ROW / 2 + 4, number(value)))
        y += ROW
    chart.texts.append(Text(LABEL_WIDTH, y + ROW - 4,
                            f"Antal {unit} av {number(base)} som svarat", size=FONT - 1))
    return chart


def stacked_chart(chart_id: str, title: str, rows: list[tuple[str, Distribution]],
                  values: list[str]) -> Chart:
    """One 100 % bar per row (area or county), split by answer; counts inside segments."""
    # WeasyPrint lays out SVG text letter by letter, so long charts (counties) leave the
    # counts to the table that follows instead of printing one in every segment.
    labelled = len(rows) <= 8
    row_height = ROW if labelled else 17
    height = row_height * len(rows) + 2 * ROW
    chart = Chart(chart_id, f"Diagram: {title}", _describe_stacked(rows, values), WIDTH,
                  int(height))
    bar_space = WIDTH - LABEL_WIDTH - 10
    y = ROW / 2
    for label, distribution in rows:
        chart.texts += _label_lines(label, y, row_height)
        x = float(LABEL_WIDTH)
        if not distribution.base:
            chart.texts.append(Text(x, y + row_height / 2 + 4, "Inga svar", size=FONT - 1))
        for value in values:
            count = distribution.count(value)
            if not count:
                continue
            w = bar_space * count / distribution.base
            chart.rects.append(Rect(x, y + 2, w, row_height - 4,
                                    SERIES_COLORS.get(value, BAR_COLOR)))
            if labelled and w >= len(number(count)) * CHAR_WIDTH + 4:
                chart.texts.append(Text(x + w / 2, y + row_height / 2 + 3.5, number(count),
                                        "middle", TEXT_COLOR if value in LIGHT else "#ffffff",
                                        True, FONT - 1))
            x += w
        y += row_height
    x = float(LABEL_WIDTH)
    y += ROW / 2
    for value in values:
        label = _label_of(rows, value)
        chart.rects.append(Rect(x, y, 12, 12, SERIES_COLORS.get(value, BAR_COLOR), "#555555"))
        chart.texts.append(Text(x + 16, y + 10, label, size=FONT - 1))
        x += 16 + len(label) * CHAR_WIDTH + 18
    return chart


def _label_of(rows: list[tuple[str, Distribution]], value: str) -> str:
    for _, distribution in rows[:1]:
        for category in distribution.categories:
            if category.value == value:
                return category.label
    return value


def _label_lines(label: str, y: float, row_height: float = ROW) -> list[Text]:
    lines = wrap(label, LABEL_WIDTH - 10, lines=2 if row_height >= ROW else 1)
    if len(lines) == 1:
        return [Text(LABEL_WIDTH - 8, y + row_height / 2 + 4, lines[0], "end")]
    return [Text(LABEL_WIDTH - 8, y + row_height / 2 - 2 + 10 * i, line, "end",
                 size=FONT - 1) for i, line in enumerate(lines)]


def _describe(items: list[tuple[str, int]], base: int, unit: str) -> str:
    parts = "; ".join(f"{label}: {number(value)}" for label, value in items)
    return f"Antal {unit} av {number(base)} som svarat. {parts}."


def _describe_stacked(rows: list[tuple[str, Distribution]], values: list[str]) -> str:
    parts = []
    for label, distribution in rows:
        counts = ", ".join(f"{c.label.lower()} {number(c.count)}"
                           for c in distribution.categories if c.value in values)
        parts.append(f"{label}: {counts} av {number(distribution.base)}")
    return "; ".join(parts) + "."
