"""The county map: open boundaries in counties.json and the SVG choropleth built on them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reports import countymap
from reports.countymap import county_map_svg, make_bins

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "reports" / "geodata" / "counties.json"
NS = {"svg": "http://www.w3.org/2000/svg"}

#: The 21 counties by SCB code (spelled out here so the test does not depend on where the
#: survey package keeps its counties.csv).
LABELS = {
    "01": "Stockholms län", "03": "Uppsala län", "04": "Södermanlands län",
    "05": "Östergötlands län", "06": "Jönköpings län", "07": "Kronobergs län",
    "08": "Kalmar län", "09": "Gotlands län", "10": "Blekinge län", "12": "Skåne län",
    "13": "Hallands län", "14": "Västra Götalands län", "17": "Värmlands län",
    "18": "Örebro län", "19": "Västmanlands län", "20": "Dalarnas län",
    "21": "Gävleborgs län", "22": "Västernorrlands län", "23": "Jämtlands län",
    "24": "Västerbottens län", "25": "Norrbottens län",
}  # fmt: skip

#: What build_counties.py writes: absolute moveto, relative integer linetos, closepath.
RING = r"M-?\d+,-?\d+l(?:-?\d+,-?\d+ )*-?\d+,-?\d+Z"
PATH = re.compile(rf"(?:{RING})+")


def values_by_rank() -> dict[str, float]:
    """A distinct value per county, 0..100 in code order: Stockholm 0, Halland 50."""
    return {code: 5.0 * i for i, code in enumerate(sorted(LABELS))}


def render(values, **kw) -> ET.Element:
    kw.setdefault("title", "Andel som svarat ja, per län")
    kw.setdefault("legend_title", "Andel ja")
    kw.setdefault("labels", LABELS)
    return ET.fromstring(county_map_svg(values, **kw))


def fills(root: ET.Element) -> dict[str, str]:
    return {p.get("data-county"): p.get("fill") for p in root.iterfind(".//svg:path", NS)}


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_geodata_has_all_21_counties_and_records_its_source():
    data = json.loads(GEODATA.read_text(encoding="utf-8"))
    assert set(data["counties"]) == set(LABELS)
    assert len(LABELS) == 21
    assert data["source"]["repo"] and re.fullmatch(r"[0-9a-f]{40}", data["source"]["commit"])
    assert "CC BY 4.0" in data["licence"]
    assert re.fullmatch(r"0 0 \d+ \d+", data["viewBox"])


def test_geodata_is_a_few_kilobytes():
    assert GEODATA.stat().st_size < 25_000


def test_every_county_path_is_valid_path_data_inside_the_viewbox():
    data = json.loads(GEODATA.read_text(encoding="utf-8"))
    _, _, width, height = (int(v) for v in data["viewBox"].split())
    for code, d in data["counties"].items():
        assert PATH.fullmatch(d), code
        for ring in re.findall(RING, d):
            nums = [int(n) for n in re.findall(r"-?\d+", ring)]
            x, y = nums[0], nums[1]
            for dx, dy in zip(nums[2::2], nums[3::2], strict=True):
                x, y = x + dx, y + dy
                assert 0 <= x <= width and 0 <= y <= height, code


def test_svg_is_well_formed_with_title_desc_and_one_path_per_county():
    root = render(values_by_rank())
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title.text == "Andel som svarat ja, per län"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "Högst: Norrbottens län (100\u00a0%)" in desc.text
    assert "Lägst: Stockholms län (0\u00a0%)" in desc.text
    paths = root.findall(".//svg:g[@class='counties']/svg:path", NS)
    assert sorted(p.get("data-county") for p in paths) == sorted(LABELS)
    halland = next(p for p in paths if p.get("data-county") == "13")
    assert halland.find("svg:title", NS).text == "Hallands län: 50\u00a0%"


def test_higher_values_are_darker():
    values = values_by_rank()
    colour = fills(render(values))
    ranked = sorted(values, key=values.get)
    lum = [luminance(colour[code]) for code in ranked]
    assert lum == sorted(lum, reverse=True)
    assert len(set(colour.values())) == 5


def test_palettes_run_light_to_dark_and_the_darker_steps_read_against_white():
    for palette in countymap.PALETTES.values():
        lum = [luminance(c) for c in palette]
        assert lum == sorted(lum, reverse=True) and len(set(lum)) == len(lum)
    darkest = countymap.PALETTES[5][-1]
    assert (1.05) / (luminance(darkest) + 0.05) >= 3


def test_missing_values_are_hatched_and_in_the_legend():
    values = values_by_rank() | {"09": None, "23": float("nan")}
    del values["25"]
    root = render(values)
    colour = fills(root)
    pattern = root.find(".//svg:pattern", NS).get("id")
    assert {colour[c] for c in ("09", "23", "25")} == {f"url(#{pattern})"}
    assert "url(" not in colour["13"]
    legend = [t.text for t in root.iterfind(".//svg:g[@class='legend']/svg:text", NS)]
    assert legend[-1] == "uppgift saknas"
    assert "Uppgift saknas för 3 av 21 län." in root.find("svg:desc", NS).text
    gotland = next(p for p in root.iterfind(".//svg:path", NS) if p.get("data-county") == "09")
    assert gotland.find("svg:title", NS).text == "Gotlands län: uppgift saknas"


def test_english_and_no_data_at_all():
    root = render({}, lang="en", title="Share", legend_title="Share")
    assert set(fills(root).values()) == {f"url(#{root.find('.//svg:pattern', NS).get('id')})"}
    assert root.find("svg:desc", NS).text == "No county has data."
    legend = [t.text for t in root.iterfind(".//svg:g[@class='legend']/svg:text", NS)]
    assert legend == ["Share", "no data"]


def test_text_is_escaped():
    labels = LABELS | {"13": "Halland <b>&</b>"}
    svg = county_map_svg(
        {"13": 50.0}, title='Ja < nej & "kanske"', legend_title="<ja>", labels=labels
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    root = ET.fromstring(svg)
    assert root.find("svg:title", NS).text == 'Ja < nej & "kanske"'
    halland = next(p for p in root.iterfind(".//svg:path", NS) if p.get("data-county") == "13")
    assert halland.find("svg:title", NS).text == "Halland <b>&</b>: 50\u00a0%"


def test_legend_lists_the_bin_ranges_high_to_low():
    root = render(values_by_rank(), fmt=lambda v: f"{v:g}")
    legend = [t.text for t in root.iterfind(".//svg:g[@class='legend']/svg:text", NS)]
    assert legend == ["Andel ja", "80–100", "60–80", "40–60", "20–40", "0–20"]


@pytest.mark.parametrize(
    ("values", "bins", "expected"),
    [
        ([30, 70], 5, (30, 10, 4)),
        ([41.6, 79.9], 5, (40, 10, 4)),
        ([63, 63.4], 5, (63, 0.1, 4)),
        ([0, 100], 5, (0, 20, 5)),
        ([50, 50], 5, (50, 0, 1)),
        ([1, 2, 3], 1, (0, 5, 1)),
    ],
)
def test_bins_use_round_steps_and_never_more_classes_than_asked(values, bins, expected):
    b = make_bins(values, bins)
    assert (b.start, b.step, b.count) == pytest.approx(expected)
    assert b.count <= bins
    assert b.index(min(values)) == 0 and b.index(max(values)) == b.count - 1


def test_unknown_codes_and_bad_bins_are_errors():
    with pytest.raises(ValueError, match="unknown county codes"):
        county_map_svg({"00": 1.0}, title="t", legend_title="l", labels=LABELS)
    with pytest.raises(ValueError, match="bins"):
        county_map_svg({}, title="t", legend_title="l", labels=LABELS, bins=8)
