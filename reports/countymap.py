"""A choropleth map of Sweden's 21 counties as an inline SVG string (no Flask, no database).

The boundaries come from geodata/counties.json (open data, CC BY 4.0, see
geodata/README.md), pre-simplified to a few kilobytes. The SVG follows the charts in
charts.py: role="img", a <title> (the PDF figure's alt text in WeasyPrint) and a <desc>
with the extremes in words, one <title> per county for tooltips, and a legend with the bin
ranges. Colour is a single-hue sequential blue (ColorBrewer "Blues"), safe for colour
vision deficiencies; counties without a value are hatched grey and listed in the legend.
Every map in a report should still be followed by a table with the same numbers.
"""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

GEODATA = Path(__file__).resolve().parent / "geodata" / "counties.json"
NBSP = "\u00a0"
FONT = 11
TEXT_COLOR = "#1a1a1a"
STROKE = "#7a7a7a"
NO_DATA_FILL = "#f0f0f0"
NO_DATA_HATCH = "#8c8c8c"
LEGEND_WIDTH = 150
LEGEND_CHARS = 20  # wrap width of the legend title (bold DejaVu Sans at 11 px)
SWATCH = 14
ROW = 20

#: ColorBrewer Blues, light to dark, by number of classes (www.colorbrewer2.org).
PALETTES = {
    1: ["#6baed6"],
    2: ["#9ecae1", "#2171b5"],
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    6: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    7: ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
}

TEXTS = {
    "sv": {
        "no_data": "uppgift saknas",
        "highest": "Högst",
        "lowest": "Lägst",
        "missing": "Uppgift saknas för {n} av 21 län.",
        "all": "Alla 21 län har uppgift.",
        "none": "Inget län har uppgift.",
        "credit": "Karta: MapSVG, CC BY 4.0",
    },
    "en": {
        "no_data": "no data",
        "highest": "Highest",
        "lowest": "Lowest",
        "missing": "No data for {n} of 21 counties.",
        "all": "All 21 counties have data.",
        "none": "No county has data.",
        "credit": "Map: MapSVG, CC BY 4.0",
    },
}


def default_fmt(value: float) -> str:
    """Whole percent with a non-breaking space, as elsewhere in the reports: '63 %'."""
    return f"{value:.0f}{NBSP}%"


@dataclass(frozen=True)
class Geometry:
    width: int
    height: int
    paths: dict[str, str]  # SCB county code -> SVG path data


@lru_cache(maxsize=1)
def geometry() -> Geometry:
    data = json.loads(GEODATA.read_text(encoding="utf-8"))
    _, _, width, height = (int(v) for v in data["viewBox"].split())
    return Geometry(width, height, dict(data["counties"]))


@dataclass(frozen=True)
class Bins:
    """Equal-width classes on a 'nice' step: [start + i*step, start + (i+1)*step)."""

    start: float
    step: float
    count: int

    def index(self, value: float) -> int:
        if self.step == 0:
            return 0
        return min(self.count - 1, max(0, math.floor((value - self.start) / self.step)))

    def edges(self, i: int) -> tuple[float, float]:
        return self.start + i * self.step, self.start + (i + 1) * self.step


def _nice_steps(raw: float):
    """1, 2, 2.5 and 5 times a power of ten, from the one just below raw upwards."""
    exp = math.floor(math.log10(raw))
    while True:
        for m in (1, 2, 2.5, 5):
            step = m * 10**exp
            if step >= raw * 0.999999:
                yield step
        exp += 1


def make_bins(present: list[float], bins: int) -> Bins:
    lo, hi = min(present), max(present)
    if hi == lo:
        return Bins(lo, 0.0, 1)
    for step in _nice_steps((hi - lo) / bins):
        start = math.floor(lo / step) * step
        count = max(1, math.ceil((hi - start) / step - 1e-9))  # the last class is closed
        if count <= bins:
            return Bins(start, step, count)
    raise AssertionError("unreachable")


def _clean(values: Mapping[str, float | None], codes) -> dict[str, float | None]:
    unknown = sorted(set(values) - set(codes))
    if unknown:
        raise ValueError(f"unknown county codes: {unknown}")
    out: dict[str, float | None] = {}
    for code in codes:
        v = values.get(code)
        out[code] = None if v is None or (isinstance(v, float) and math.isnan(v)) else v
    return out


def _description(values, labels, fmt, t) -> str:
    present = {c: v for c, v in values.items() if v is not None}
    if not present:
        return t["none"]
    hi = max(present, key=lambda c: (present[c], c))
    lo = min(present, key=lambda c: (present[c], c))
    missing = len(values) - len(present)
    parts = [
        f"{t['highest']}: {labels.get(hi, hi)} ({fmt(present[hi])}).",
        f"{t['lowest']}: {labels.get(lo, lo)} ({fmt(present[lo])}).",
        t["missing"].format(n=missing) if missing else t["all"],
    ]
    return " ".join(parts)


def _county_paths(geo, values, labels, fmt, colours, bins, pattern, t) -> list[str]:
    out = []
    for code, d in geo.paths.items():
        v = values[code]
        fill = f"url(#{pattern})" if v is None else colours[bins.index(v)]
        shown = t["no_data"] if v is None else fmt(v)
        tip = escape(f"{labels.get(code, code)}: {shown}")
        out.append(f'<path d="{d}" fill="{fill}" data-county="{code}"><title>{tip}</title></path>')
    return out


def _legend(x, legend_title, bins, colours, fmt, has_missing, pattern, t) -> list[str]:
    y = 24 - ROW
    out = [f'<g class="legend" font-size="{FONT}" fill="{TEXT_COLOR}">']
    for line in textwrap.wrap(legend_title, LEGEND_CHARS) or [""]:
        y += ROW - 6
        out.append(f'<text x="{x}" y="{y}" font-weight="bold">{escape(line)}</text>')
    y += 4
    rows = [(colours[i], _range_label(bins, i, fmt)) for i in reversed(range(bins.count))]
    if has_missing:
        rows.append((f"url(#{pattern})", t["no_data"]))
    for fill, label in rows:
        y += ROW
        out.append(
            f'<rect x="{x}" y="{y - SWATCH + 3}" width="{SWATCH}" height="{SWATCH}" '
            f'fill="{fill}" stroke="{NO_DATA_HATCH}" stroke-width="0.5"/>'
            f'<text x="{x + SWATCH + 6}" y="{y}">{escape(label)}</text>'
        )
    out.append("</g>")
    return out


def _range_label(bins: Bins, i: int, fmt) -> str:
    if bins.step == 0:
        return fmt(bins.start)
    a, b = bins.edges(i)
    return f"{fmt(a)}\u2013{fmt(b)}"


def _defs(pattern: str) -> str:
    return (
        f'<defs><pattern id="{pattern}" width="5" height="5" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="5" height="5" fill="{NO_DATA_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="{NO_DATA_HATCH}" stroke-width="1.5"/>'
        f"</pattern></defs>"
    )


def county_map_svg(
    values: Mapping[str, float | None],
    *,
    title: str,
    legend_title: str,
    labels: Mapping[str, str],
    fmt: Callable[[float], str] = default_fmt,
    bins: int = 5,
    lang: str = "sv",
) -> str:
    """An inline SVG choropleth of the 21 counties.

    values: SCB county code ("01".."25") -> value; None, NaN or an absent code means no
    data. labels: county code -> display name ("Hallands län"). title becomes the SVG
    <title> (alt text); legend_title is printed above the legend. bins: 1-7 classes of
    equal width on a round step (fewer if the data need fewer); darker means higher.
    """
    if bins not in PALETTES:
        raise ValueError(f"bins must be between 1 and {max(PALETTES)}")
    t = TEXTS[lang]
    geo = geometry()
    vals = _clean(values, geo.paths)
    present = [v for v in vals.values() if v is not None]
    classes = make_bins(present, bins) if present else Bins(0.0, 0.0, 0)
    colours = PALETTES[max(1, classes.count)]
    uid = "cm" + hashlib.sha1(repr((title, sorted(vals.items()))).encode()).hexdigest()[:8]
    pattern = f"{uid}-nodata"
    width = geo.width + LEGEND_WIDTH
    desc = _description(vals, labels, fmt, t)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="county-map" '
        f'width="{width}" height="{geo.height}" viewBox="0 0 {width} {geo.height}" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="DejaVu Sans, sans-serif" '
        f"lang={quoteattr(lang)}>",
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        _defs(pattern),
        f'<g class="counties" stroke="{STROKE}" stroke-width="0.5" stroke-linejoin="round">',
        *_county_paths(geo, vals, labels, fmt, colours, classes, pattern, t),
        "</g>",
        *_legend(
            geo.width + 8, legend_title, classes, colours, fmt, len(present) < len(vals), pattern, t
        ),
        f'<text x="{width - 4}" y="{geo.height - 4}" font-size="7" fill="#595959" '
        f'text-anchor="end">{escape(t["credit"])}</text>',
        "</svg>",
    ]
    return "\n".join(parts)
