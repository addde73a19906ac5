"""Build reports/geodata/counties.json from the open SVG county map (see README.md).

    python reports/geodata/build_counties.py /tmp/sweden.svg

The source is VictorCazanave/svg-maps, packages/sweden/sweden.svg (CC BY 4.0, based on
MapSVG). It is already projected, so this script only rescales it into a ~300 x 650 box,
simplifies every ring with Douglas-Peucker, drops the smallest islands, rounds to integers
and writes one compact SVG path per county, keyed by the two-digit SCB county code.
Standard library only, so the build is reproducible without extra packages.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
SVG_NS = "{http://www.w3.org/2000/svg}"
HEIGHT = 650  # target height of the viewBox; the width follows from the aspect ratio
MARGIN = 2
TOLERANCE = 0.9  # Douglas-Peucker tolerance, in target units
MIN_AREA = 12.0  # islands smaller than this (target units squared) are dropped

SOURCE = {
    "repo": "VictorCazanave/svg-maps",
    "path": "packages/sweden/sweden.svg",
    "commit": "83ec8292f714452719b3561a51cf251cc64a6216",
    "url": "https://github.com/VictorCazanave/svg-maps/blob/"
    "83ec8292f714452719b3561a51cf251cc64a6216/packages/sweden/sweden.svg",
    "based_on": "MapSVG, https://mapsvg.com/maps/sweden",
}
LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); simplified and rescaled"

#: County name in the source (its name attribute) -> SCB county code.
NAME_TO_CODE = {
    "Stockholm": "01",
    "Uppsala": "03",
    "Södermanland": "04",
    "Östergötland": "05",
    "Jönköping": "06",
    "Kronoberg": "07",
    "Kalmar": "08",
    "Gotland": "09",
    "Blekinge": "10",
    "Skåne": "12",
    "Halland": "13",
    "Västra Götaland": "14",
    "Värmland": "17",
    "Örebro": "18",
    "Västmanland": "19",
    "Dalarna": "20",
    "Gävleborg": "21",
    "Västernorrland": "22",
    "Jämtland": "23",
    "Västerbotten": "24",
    "Norrbotten": "25",
}
#: The source swaps these two labels: its "Västmanland" shape lies on the Bothnian coast
#: north of Gävleborg, its "Västernorrland" shape west of Uppsala. Checked by
#: check_geography() so that a corrected source fails loudly instead of swapping back.
SWAPPED = {"Västmanland": "Västernorrland", "Västernorrland": "Västmanland"}

Point = tuple[float, float]
Ring = list[Point]

_TOKEN = re.compile(r"[MmLlHhVvZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def parse_path(d: str) -> list[Ring]:
    """Rings of an SVG path made of M/L/H/V/Z commands (absolute or relative)."""
    rings: list[Ring] = []
    ring: Ring = []
    x = y = 0.0
    cmd = ""
    tokens = _TOKEN.findall(d)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.isalpha():
            cmd, i = tok, i + 1
            if cmd in "Zz":
                if ring:
                    rings.append(ring)
                    x, y = ring[0]
                ring = []
            continue
        x, y, used = _step(cmd, x, y, tokens, i)
        i += used
        if cmd in "Mm" and ring:
            rings.append(ring)
            ring = []
        ring.append((x, y))
        cmd = {"M": "L", "m": "l"}.get(cmd, cmd)  # implicit lineto after moveto
    if ring:
        rings.append(ring)
    return rings


def _step(cmd: str, x: float, y: float, tokens: list[str], i: int) -> tuple[float, float, int]:
    rel = cmd.islower()
    kind = cmd.upper()
    if kind == "H":
        v = float(tokens[i])
        return (x + v if rel else v), y, 1
    if kind == "V":
        v = float(tokens[i])
        return x, (y + v if rel else v), 1
    if kind not in "ML":
        raise ValueError(f"unsupported path command {cmd!r}")
    a, b = float(tokens[i]), float(tokens[i + 1])
    return (x + a, y + b, 2) if rel else (a, b, 2)


def _perpendicular(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return math.dist(p, a)
    return abs(dy * (p[0] - a[0]) - dx * (p[1] - a[1])) / math.hypot(dx, dy)


def douglas_peucker(points: Ring, tolerance: float) -> Ring:
    """Keep the points that deviate more than tolerance from the simplified line."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, 0
        for k in range(first + 1, last):
            dist = _perpendicular(points[k], points[first], points[last])
            if dist > best:
                best, index = dist, k
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """A closed ring split at its point farthest from the start, each half simplified."""
    far = max(range(len(ring)), key=lambda k: math.dist(ring[0], ring[k]))
    if far == 0:
        return ring
    head = douglas_peucker(ring[: far + 1], tolerance)
    tail = douglas_peucker(ring[far:] + [ring[0]], tolerance)
    return head + tail[1:-1]


def area(ring: Ring) -> float:
    """Unsigned shoelace area."""
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in pairs)) / 2


def rounded(ring: Ring) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for x, y in ring:
        p = (round(x), round(y))
        if not out or p != out[-1]:
            out.append(p)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """Absolute moveto, relative linetos: 'M12,34l1,2 3,-4Z'."""
    parts = []
    for ring in rings:
        (x, y), rest = ring[0], ring[1:]
        steps = " ".join(f"{b[0] - a[0]},{b[1] - a[1]}" for a, b in zip(ring, rest, strict=False))
        parts.append(f"M{x},{y}l{steps}Z")
    return "".join(parts)


def read_source(path: Path) -> dict[str, list[Ring]]:
    """County code -> rings in source coordinates."""
    root = ET.parse(path).getroot()
    shapes: dict[str, list[Ring]] = {}
    for el in root.iter(f"{SVG_NS}path"):
        name = el.get("name", "")
        code = NAME_TO_CODE[SWAPPED.get(name, name)]
        shapes[code] = parse_path(el.get("d", ""))
    missing = sorted(set(NAME_TO_CODE.values()) - set(shapes))
    if missing:
        raise SystemExit(f"counties missing from the source: {missing}")
    return shapes


def centroid(rings: list[Ring]) -> Point:
    ring = max(rings, key=area)
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def check_geography(shapes: dict[str, list[Ring]]) -> None:
    """Coarse sanity checks on the label mapping (y grows southwards)."""
    c = {code: centroid(rings) for code, rings in shapes.items()}
    south_to_north = ["12", "13", "06", "14", "17", "20", "23", "24", "25"]
    ys = [c[code][1] for code in south_to_north]
    assert ys == sorted(ys, reverse=True), "west-side counties not ordered south to north"
    assert c["22"][1] < c["21"][1] < c["03"][1], "Västernorrland, Gävleborg, Uppsala order"
    assert c["19"][1] > c["20"][1] and c["19"][0] < c["03"][0], "Västmanland misplaced"
    assert c["09"][0] > c["08"][0], "Gotland not east of Kalmar"


def transform(shapes: dict[str, list[Ring]]) -> tuple[dict[str, list[Ring]], int, int]:
    """Scale and shift into a box HEIGHT high with a small margin."""
    pts = [p for rings in shapes.values() for ring in rings for p in ring]
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    scale = (HEIGHT - 2 * MARGIN) / (y1 - y0)
    width = math.ceil((x1 - x0) * scale + 2 * MARGIN)

    def move(p: Point) -> Point:
        return (p[0] - x0) * scale + MARGIN, (p[1] - y0) * scale + MARGIN

    moved = {code: [[move(p) for p in ring] for ring in rings] for code, rings in shapes.items()}
    return moved, width, HEIGHT


def county_path(rings: list[Ring], tolerance: float, min_area: float) -> str:
    """Simplified, rounded path of one county; its largest ring is always kept."""
    largest = max(rings, key=area)
    kept = []
    for ring in rings:
        if ring is not largest and area(ring) < min_area:
            continue
        r = rounded(simplify_ring(ring, tolerance))
        if len(r) >= 3:
            kept.append(r)
    return path_data(kept)


def build(source: Path, tolerance: float, min_area: float) -> dict:
    shapes = read_source(source)
    check_geography(shapes)
    moved, width, height = transform(shapes)
    counties = {code: county_path(moved[code], tolerance, min_area) for code in sorted(moved)}
    return {
        "source": SOURCE,
        "licence": LICENCE,
        "viewBox": f"0 0 {width} {height}",
        "counties": counties,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the downloaded sweden.svg")
    parser.add_argument("--out", type=Path, default=HERE / "counties.json")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE)
    parser.add_argument("--min-area", type=float, default=MIN_AREA)
    args = parser.parse_args(argv)
    data = build(args.source, args.tolerance, args.min_area)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(text.encode())} bytes, {len(data['counties'])} counties")
    return 0


if __name__ == "__main__":
    sys.exit(main())
