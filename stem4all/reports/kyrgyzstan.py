"""A simplified map of Kyrgyzstan's seven regions (oblasts), drawn by hand for this
project: the country's outline, the oblast boundaries, Lake Issyk-Kul and the two
cities of republican status (Bishkek, Osh).

It is a sketch for charts, not a survey: every point is an approximate (longitude,
latitude) chosen by eye, accurate to a few kilometres at best. Each boundary is one
list of points (``_EDGES``) shared by the two regions it separates, and each region is
a ring of such edges, so neighbours meet exactly with no gap or overlap.

The points are projected once, at import, with an equirectangular projection scaled
by the cosine of the middle latitude, into map units: x to the right and y down from
the top left corner of a ``MAP_WIDTH`` x ``MAP_HEIGHT`` box. The web charts
(``charts.region_map``) and the donor PDF draw the same shapes from here.
"""

from __future__ import annotations

import math
from typing import NamedTuple

Point = tuple[float, float]

LON_MIN, LON_MAX = 69.2, 80.3
LAT_MIN, LAT_MAX = 39.2, 43.3
MAP_WIDTH = 400.0
_COS = math.cos(math.radians((LAT_MIN + LAT_MAX) / 2))
SCALE = MAP_WIDTH / ((LON_MAX - LON_MIN) * _COS)  # map units per degree of latitude
MAP_HEIGHT = round((LAT_MAX - LAT_MIN) * SCALE, 1)


def project(lon: float, lat: float) -> Point:
    """(longitude, latitude) in degrees to (x, y) in map units, y pointing down."""
    return (
        round((lon - LON_MIN) * _COS * SCALE, 1),
        round((LAT_MAX - lat) * SCALE, 1),
    )


# Where three boundaries meet (K = Kazakhstan, U = Uzbekistan, T = Tajikistan,
# C = China on the outside).
_TALAS_WEST = (71.00, 42.27)  # Talas, Jalal-Abad, K/U
_TALAS_CHUI_NORTH = (73.45, 42.60)  # Talas, Chui, K
_TALAS_CHUI_JALAL = (73.35, 42.25)
_CHUI_ISSYK_NORTH = (76.75, 42.98)  # Chui, Issyk-Kul, K
_CHUI_NARYN_ISSYK = (75.95, 42.45)
_CHUI_JALAL_NARYN = (74.00, 41.95)
_ISSYK_NARYN_SOUTH = (78.35, 41.33)  # Issyk-Kul, Naryn, C
_NARYN_JALAL_OSH = (74.55, 40.90)
_OSH_NARYN_SOUTH = (74.85, 40.45)  # Osh, Naryn, C
_JALAL_OSH_WEST = (72.95, 40.83)  # Jalal-Abad, Osh, U
_OSH_BATKEN_NORTH = (72.35, 40.38)  # Osh, Batken, U
_OSH_BATKEN_SOUTH = (71.90, 39.55)  # Osh, Batken, T

# Each edge runs from its first point to its last; regions walk them either way.
_EDGES: dict[str, list[Point]] = {
    # The border with Kazakhstan, west to east.
    "talas_north": [
        _TALAS_WEST,
        (71.10, 42.42),
        (71.22, 42.55),
        (71.45, 42.68),
        (71.70, 42.76),
        (71.95, 42.79),
        (72.30, 42.76),
        (72.60, 42.73),
        (72.85, 42.70),
        (73.10, 42.66),
        (73.30, 42.62),
        _TALAS_CHUI_NORTH,
    ],
    "chui_north": [
        _TALAS_CHUI_NORTH,
        (73.55, 42.70),
        (73.65, 42.85),
        (73.85, 43.00),
        (74.05, 43.12),
        (74.25, 43.22),
        (74.45, 43.24),
        (74.70, 43.15),
        (74.95, 43.05),
        (75.15, 42.96),
        (75.35, 42.88),
        (75.60, 42.84),
        (75.85, 42.86),
        (76.05, 42.93),
        (76.40, 42.97),
        _CHUI_ISSYK_NORTH,
    ],
    "issyk_kul_outer": [
        _CHUI_ISSYK_NORTH,
        (77.10, 43.02),
        (77.50, 43.00),
        (77.90, 42.96),
        (78.30, 42.92),
        (78.65, 42.90),
        (78.95, 42.84),
        (79.20, 42.74),
        (79.45, 42.62),
        (79.75, 42.50),
        (80.00, 42.38),
        (80.20, 42.22),
        (80.28, 42.08),
        # The border with China, east to west along the Kokshaal-Too.
        (80.10, 41.95),
        (79.80, 41.82),
        (79.50, 41.70),
        (79.20, 41.58),
        (78.90, 41.50),
        (78.60, 41.44),
        _ISSYK_NARYN_SOUTH,
    ],
    "naryn_south": [
        _ISSYK_NARYN_SOUTH,
        (78.05, 41.18),
        (77.70, 41.05),
        (77.30, 40.96),
        (76.95, 40.85),
        (76.65, 40.65),
        (76.35, 40.45),
        (76.00, 40.38),
        (75.70, 40.40),
        (75.45, 40.52),
        (75.20, 40.46),
        (75.00, 40.40),
        _OSH_NARYN_SOUTH,
    ],
    "osh_south": [
        _OSH_NARYN_SOUTH,
        (74.65, 40.30),
        (74.40, 40.12),
        (74.15, 39.95),
        (73.95, 39.82),
        (73.85, 39.65),
        (73.65, 39.47),
        # The border with Tajikistan, along the Alai valley.
        (73.35, 39.40),
        (73.00, 39.36),
        (72.65, 39.37),
        (72.35, 39.40),
        (72.10, 39.44),
        _OSH_BATKEN_SOUTH,
    ],
    "batken_outer": [
        _OSH_BATKEN_SOUTH,
        (71.60, 39.60),
        (71.25, 39.63),
        (70.90, 39.62),
        (70.55, 39.60),
        (70.20, 39.57),
        (69.85, 39.56),
        (69.55, 39.58),
        (69.33, 39.64),
        (69.24, 39.78),
        (69.30, 39.93),
        (69.50, 40.03),
        (69.80, 40.05),
        (70.10, 40.01),
        (70.35, 39.96),
        (70.60, 39.97),
        (70.78, 40.12),
        (71.00, 40.21),
        (71.30, 40.23),
        (71.60, 40.24),
        (71.90, 40.28),
        (72.12, 40.34),
        _OSH_BATKEN_NORTH,
    ],
    # The border with Uzbekistan around the Fergana valley.
    "osh_west": [
        _OSH_BATKEN_NORTH,
        (72.55, 40.44),
        (72.72, 40.48),
        (72.80, 40.60),
        (72.86, 40.72),
        _JALAL_OSH_WEST,
    ],
    "jalal_abad_west": [
        _JALAL_OSH_WEST,
        (72.82, 40.97),
        (72.55, 41.04),
        (72.25, 41.13),
        (71.95, 41.22),
        (71.65, 41.28),
        (71.35, 41.24),
        (71.05, 41.14),
        (70.78, 41.20),
        (70.50, 41.34),
        (70.22, 41.50),
        (70.32, 41.66),
        (70.55, 41.86),
        (70.78, 42.07),
        _TALAS_WEST,
    ],
    # Inside the country.
    "talas_south": [
        _TALAS_WEST,
        (71.40, 42.23),
        (71.80, 42.18),
        (72.20, 42.21),
        (72.60, 42.15),
        (73.00, 42.18),
        _TALAS_CHUI_JALAL,
    ],
    "talas_chui": [_TALAS_CHUI_JALAL, (73.43, 42.40), _TALAS_CHUI_NORTH],
    "chui_jalal_abad": [_TALAS_CHUI_JALAL, (73.55, 42.06), (73.80, 41.95), _CHUI_JALAL_NARYN],
    "chui_naryn": [
        _CHUI_JALAL_NARYN,
        (74.40, 42.05),
        (74.80, 42.28),
        (75.20, 42.42),
        (75.60, 42.48),
        _CHUI_NARYN_ISSYK,
    ],
    "chui_issyk_kul": [_CHUI_NARYN_ISSYK, (76.10, 42.62), (76.42, 42.82), _CHUI_ISSYK_NORTH],
    "naryn_issyk_kul": [
        _CHUI_NARYN_ISSYK,
        (76.10, 42.25),
        (76.50, 42.05),
        (77.00, 41.95),
        (77.50, 41.88),
        (78.00, 41.72),
        (78.25, 41.55),
        _ISSYK_NARYN_SOUTH,
    ],
    "jalal_abad_naryn": [
        _CHUI_JALAL_NARYN,
        (74.30, 41.72),
        (74.60, 41.46),
        (74.82, 41.20),
        (74.75, 41.00),
        _NARYN_JALAL_OSH,
    ],
    "jalal_abad_osh": [
        _JALAL_OSH_WEST,
        (73.30, 40.90),
        (73.70, 40.96),
        (74.10, 40.98),
        _NARYN_JALAL_OSH,
    ],
    "osh_naryn": [_NARYN_JALAL_OSH, (74.75, 40.68), _OSH_NARYN_SOUTH],
    "osh_batken": [_OSH_BATKEN_NORTH, (72.22, 40.05), (72.02, 39.76), _OSH_BATKEN_SOUTH],
}

# Each region as a ring of edges; "-name" walks an edge backwards.
_RINGS: dict[str, list[str]] = {
    "talas": ["talas_north", "-talas_chui", "-talas_south"],
    "chui": ["chui_north", "-chui_issyk_kul", "-chui_naryn", "-chui_jalal_abad", "talas_chui"],
    "issyk_kul": ["issyk_kul_outer", "-naryn_issyk_kul", "chui_issyk_kul"],
    "naryn": [
        "naryn_issyk_kul",
        "naryn_south",
        "-osh_naryn",
        "-jalal_abad_naryn",
        "chui_naryn",
    ],
    "jalal_abad": [
        "talas_south",
        "chui_jalal_abad",
        "jalal_abad_naryn",
        "-jalal_abad_osh",
        "jalal_abad_west",
    ],
    "osh": ["jalal_abad_osh", "osh_naryn", "osh_south", "-osh_batken", "osh_west"],
    "batken": ["osh_batken", "batken_outer"],
}
_OUTLINE_RING = [
    "talas_north",
    "chui_north",
    "issyk_kul_outer",
    "naryn_south",
    "osh_south",
    "batken_outer",
    "osh_west",
    "jalal_abad_west",
]

_LAKE_LONLAT: list[Point] = [
    (76.20, 42.45),
    (76.35, 42.56),
    (76.60, 42.63),
    (76.90, 42.66),
    (77.20, 42.66),
    (77.50, 42.64),
    (77.80, 42.60),
    (78.05, 42.55),
    (78.25, 42.48),
    (78.32, 42.40),
    (78.20, 42.33),
    (77.95, 42.27),
    (77.65, 42.21),
    (77.35, 42.16),
    (77.05, 42.13),
    (76.80, 42.14),
    (76.55, 42.20),
    (76.35, 42.30),
]

_CITY_LONLAT: dict[str, Point] = {"bishkek": (74.60, 42.87), "osh_city": (72.83, 40.53)}


def _ring_lonlat(names: list[str]) -> list[Point]:
    points: list[Point] = []
    for name in names:
        edge = _EDGES[name.lstrip("-")]
        if name.startswith("-"):
            edge = edge[::-1]
        if points:
            assert points[-1] == edge[0], f"{name} does not continue the ring"
            edge = edge[1:]
        points.extend(edge)
    assert points[0] == points[-1], "ring is not closed"
    return points[:-1]


REGION_LONLAT: dict[str, list[Point]] = {key: _ring_lonlat(ring) for key, ring in _RINGS.items()}
OUTLINE_LONLAT: list[Point] = _ring_lonlat(_OUTLINE_RING)

# What the charts draw, in map units (see ``project``).
REGION_SHAPES: dict[str, list[Point]] = {
    key: [project(*p) for p in ring] for key, ring in REGION_LONLAT.items()
}
OUTLINE: list[Point] = [project(*p) for p in OUTLINE_LONLAT]
LAKE: list[Point] = [project(*p) for p in _LAKE_LONLAT]
CITY_POINTS: dict[str, Point] = {key: project(*p) for key, p in _CITY_LONLAT.items()}
# The region each city lies in.
CITY_REGION = {"bishkek": "chui", "osh_city": "osh"}


class Label(NamedTuple):
    """Where a region's name and value go, in map units, laid out for text about 12
    units high on lines 14 apart: the anchor (x, y) of the first line, or of the last
    when ``grows_up``, its ``text-anchor``, and for a name set outside its area (the
    small ones, in the empty space around the country) a leader line from ``leader[0]``
    to ``leader[1]``."""

    x: float
    y: float
    anchor: str  # "start", "middle" or "end"
    grows_up: bool = False
    leader: tuple[Point, Point] | None = None
    chars: int = 12  # the longest line, in characters, before the name wraps


LABELS: dict[str, Label] = {
    "talas": Label(58, 14, "end", leader=((61, 24), (92, 38)), chars=9),
    "bishkek": Label(198, -6, "end", grows_up=True, leader=((196, -2), CITY_POINTS["bishkek"])),
    "chui": Label(214, -6, "start", grows_up=True, leader=((222, -2), (236, 30))),
    "issyk_kul": Label(345, -6, "middle", grows_up=True, leader=((345, -2), (345, 45))),
    "jalal_abad": Label(118, 68, "middle"),
    "naryn": Label(262, 92, "middle"),
    "osh_city": Label(116, 122, "end", leader=((119, 132), CITY_POINTS["osh_city"])),
    "osh": Label(174, 152, "middle"),
    "batken": Label(58, 196, "middle", leader=((58, 184), (58, 166))),
}
