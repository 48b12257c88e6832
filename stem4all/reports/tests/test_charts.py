"""The report charts: well-formed SVG that a screen reader can name, hostile labels
escaped, suppressed cells said in words, every region on the map in the reader's
language, empty data drawn without an error, no inline styles (CSP), small."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from stem4all.accounts.geography import Region
from stem4all.reports import charts, kyrgyzstan

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
MONTHS = ["2025-09", "2025-10", "2025-11", "2025-12"]
SAMPLE_REGIONS = {
    "bishkek": 40,
    "osh_city": 12,
    "chui": 25,
    "issyk_kul": None,
    "naryn": 9,
    "talas": 0,
    "jalal_abad": 31,
    "osh": 7,
    "batken": 5,
}


def all_charts(label="Question", title="Chart"):
    """One of each chart, drawn with ``label`` as every free-text label."""
    return {
        "map": charts.region_map(SAMPLE_REGIONS, title=title, unit_label=label),
        "bars": charts.bar_chart(
            [(label, 12), ("Other", Decimal("45.5")), ("Few", None), ("None", 0)],
            title=title,
            unit="%",
        ),
        "trend": charts.trend_chart(
            MONTHS, [(label, [3, None, 8, 12]), ("New matches", [5, 6, None, None])], title=title
        ),
        "funnel": charts.funnel_chart(
            [("Applied", 120), (label, 90), ("Matched", 70), ("Met", None), ("Completed", 20)],
            title=title,
        ),
        "change": charts.change_chart(
            [
                (label, Decimal("2.4"), Decimal("3.9")),
                ("Lower after", Decimal("4.1"), Decimal("3.5")),
                ("Only after", None, Decimal("3.0")),
                ("Too few", None, None),
            ],
            title=title,
            before_label="At the start",
            after_label="At the end",
        ),
    }


def parse(svg):
    root = ET.fromstring(str(svg))  # noqa: S314 -- our own output, no entities
    assert root.tag == f"{SVG}svg"
    return root


def texts(root):
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("kind", ["map", "bars", "trend", "funnel", "change"])
def test_each_chart_is_an_accessible_svg_image(kind):
    svg = all_charts(title="Mentees by region")[kind]
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.get("role") == "img"
    assert "chart" in root.get("class").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Mentees by region"
    assert desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox").startswith("0 0 ")


@pytest.mark.parametrize("kind", ["map", "bars", "trend", "funnel", "change"])
def test_hostile_labels_are_escaped(kind):
    svg = str(all_charts(label=HOSTILE, title=HOSTILE)[kind])
    assert "<script" not in svg
    root = parse(svg)  # still well-formed
    assert not list(root.iter(f"{SVG}script"))
    assert root.find(f"{SVG}title").text == HOSTILE
    assert any(HOSTILE in text for text in [*texts(root), root.find(f"{SVG}desc").text])


@pytest.mark.parametrize("kind", ["map", "bars", "trend", "funnel", "change"])
def test_charts_use_no_inline_style_so_the_csp_allows_them(kind):
    svg = str(all_charts()[kind])
    assert "<style" not in svg
    assert not [e for e in parse(svg).iter() if "style" in e.attrib]


@pytest.mark.parametrize("kind", ["map", "bars", "funnel", "change"])
def test_a_suppressed_value_is_said_not_shown_and_not_drawn_as_zero(kind):
    root = parse(all_charts()[kind])
    assert any("not shown" in text for text in texts(root))
    assert "not shown" in root.find(f"{SVG}desc").text


def test_trend_leaves_a_gap_where_a_month_is_not_shown():
    root = parse(charts.trend_chart(MONTHS, [("Meetings", [3, None, 8, 12])], title="t"))
    lines = root.findall(f".//{SVG}polyline")
    # Two months before the gap would be one segment; here 3 is alone, 8 and 12 joined.
    assert len(lines) == 1
    assert len(lines[0].get("points").split()) == 2
    assert "2025-10 not shown" in root.find(f"{SVG}desc").text


def test_the_map_names_every_region_in_the_readers_language():
    with translation.override("ru"):
        root = parse(charts.region_map(SAMPLE_REGIONS, title="t"))
        names = [str(label) for label in Region.labels]
    words = " ".join(texts(root))
    for name in names:
        for word in name.split():  # long names wrap onto two lines
            assert word in words
        assert name in root.find(f"{SVG}desc").text
    assert "Чуйская" in words
    assert "Bishkek" not in words


def test_the_map_draws_every_region_once_with_its_value_and_both_cities():
    root = parse(charts.region_map(SAMPLE_REGIONS, title="t"))
    polygons = root.findall(f".//{SVG}polygon")
    # Seven regions, the lake and the outline of the country.
    assert len(polygons) == 9
    assert len(root.findall(f".//{SVG}circle")) == 2
    words = texts(root)
    for value in ("40", "12", "25", "9", "31", "7", "5"):
        assert value in words
    fills = [p.get("fill") for p in polygons[:7]]
    assert fills[list(kyrgyzstan.REGION_SHAPES).index("issyk_kul")].startswith("url(#")
    assert fills[list(kyrgyzstan.REGION_SHAPES).index("talas")] == "#ffffff"


def test_the_map_is_darker_for_more_people():
    root = parse(charts.region_map({"chui": 50, "naryn": 10, "osh": 30}, title="t"))
    polygons = root.iter(f"{SVG}polygon")
    fills = dict(zip(kyrgyzstan.REGION_SHAPES, [p.get("fill") for p in polygons], strict=False))

    def lightness(colour):
        return sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    assert lightness(fills["chui"]) < lightness(fills["osh"]) < lightness(fills["naryn"])
    assert fills["chui"] == charts.ACCENT


def test_region_shapes_tile_the_country_along_shared_boundaries():
    shapes = kyrgyzstan.REGION_SHAPES
    assert set(shapes) == set(Region.values) - {"bishkek", "osh_city"}
    for points in shapes.values():
        assert 10 <= len(points) <= 60
        assert all(
            0 <= x <= kyrgyzstan.MAP_WIDTH and 0 <= y <= kyrgyzstan.MAP_HEIGHT for x, y in points
        )
    # Neighbours share their boundary points exactly.
    assert len(set(shapes["chui"]) & set(shapes["talas"])) >= 3
    assert len(set(shapes["naryn"]) & set(shapes["issyk_kul"])) >= 5
    # Each region's boundary point that is not on the outline is shared with another.
    outline = set(kyrgyzstan.OUTLINE)
    for key, points in shapes.items():
        others = set().union(*(set(p) for k, p in shapes.items() if k != key))
        assert all(point in outline or point in others for point in points), key


def test_each_city_lies_inside_its_region():
    def inside(point, polygon):
        x, y = point
        crossings = False
        for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings = not crossings
        return crossings

    for city, region in kyrgyzstan.CITY_REGION.items():
        assert inside(kyrgyzstan.CITY_POINTS[city], kyrgyzstan.REGION_SHAPES[region])
    assert all(inside(p, kyrgyzstan.REGION_SHAPES["issyk_kul"]) for p in kyrgyzstan.LAKE)


@pytest.mark.parametrize(
    "draw",
    [
        lambda: charts.region_map({}, title="t"),
        lambda: charts.region_map(dict.fromkeys(Region.values, 0), title="t", unit_label="u"),
        lambda: charts.region_map(dict.fromkeys(Region.values), title="t"),
        lambda: charts.region_map({"abroad": 12}, title="t"),
        lambda: charts.bar_chart([], title="t"),
        lambda: charts.bar_chart([("a", 0), ("b", 0)], title="t"),
        lambda: charts.bar_chart([("a", None)], title="t"),
        lambda: charts.trend_chart([], [], title="t"),
        lambda: charts.trend_chart(MONTHS, [], title="t"),
        lambda: charts.trend_chart(MONTHS, [("a", [0, 0, 0, 0])], title="t"),
        lambda: charts.trend_chart(MONTHS, [("a", [None] * 4)], title="t"),
        lambda: charts.trend_chart(["2025-01"], [("a", [4]), ("b", [])], title="t"),
        lambda: charts.funnel_chart([], title="t"),
        lambda: charts.funnel_chart([("a", 0), ("b", 0)], title="t"),
        lambda: charts.funnel_chart([("a", None), ("b", 7)], title="t"),
        lambda: charts.change_chart([], title="t", before_label="b", after_label="a"),
        lambda: charts.change_chart(
            [("q", Decimal(9), Decimal(0))], title="t", before_label="b", after_label="a"
        ),
    ],
)
def test_empty_or_odd_data_draws_without_error(draw):
    parse(draw())


def test_numbers_follow_the_readers_language():
    with translation.override("ru"):
        svg = charts.bar_chart([("a", Decimal("45.5"))], title="t", unit="%")
    assert "45,5" in "".join(texts(parse(svg)))


def test_charts_are_small_enough_for_the_page_budget():
    sizes = {kind: len(str(svg).encode()) for kind, svg in all_charts().items()}
    assert sizes["map"] < 20_000
    assert sum(sizes.values()) < 40_000
    months = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 13)]
    long_trend = charts.trend_chart(
        months, [("a", list(range(24))), ("b", list(range(24, 0, -1)))], title="t"
    )
    assert len(str(long_trend).encode()) < 12_000


def test_two_different_charts_on_a_page_have_different_ids():
    first = parse(charts.region_map({"chui": 10}, title="t"))
    second = parse(charts.region_map({"chui": 11}, title="t"))
    assert first.find(f"{SVG}title").get("id") != second.find(f"{SVG}title").get("id")
