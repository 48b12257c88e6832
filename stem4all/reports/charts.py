"""Charts for the impact reports, drawn on the server as small inline SVG: readable
without JavaScript and on a 360 px phone, and accessible (``role="img"``, a
``<title>`` and a ``<desc>`` that lists the key values, text labels on the marks,
shapes and patterns as well as colours).

Every function returns a ``SafeString`` holding one ``<svg>`` element. Every label
is escaped here, so callers pass plain text. The page's Content-Security-Policy
forbids style attributes and ``<style>`` elements, so the drawing uses SVG
presentation attributes only; ``static/css/site.css`` sizes the ``.chart`` class.
A value of None is a suppressed cell (too few people, see ``queries.MIN_CELL``)
and is drawn as "not shown", never as zero. Numbers are formatted for the active
language.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from stem4all.accounts.geography import Region
from stem4all.reports import kyrgyzstan
from stem4all.reports.queries import MIN_CELL, percent

Number = int | float | Decimal

# The colours of static/css/site.css, so that charts match the pages.
INK = "#1f1a24"
MUTED = "#4d4556"
LINE = "#d9d0e3"
TINT = "#f6f2fa"
BRAND = "#5b2a86"
ACCENT = "#0b6e4f"
ORANGE = "#9a4a00"  # more series colours, each at least 4.5:1 on white
BLUE = "#1a5fb4"
LIGHT = "#dcefe6"  # the light end of the map's scale
WATER = "#cfe3f5"
HATCH_BG = "#eeeeee"
HATCH_LINE = "#767676"

WIDTH = 360  # the viewBox width of every chart but the map: 1:1 on a phone
PAD = 8
FONT = 13
SMALL = 12
CHAR_EM = 0.58  # average width of a character, in em, to estimate text widths

# Text with a white halo stays readable on any fill.
_HALO = 'stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'


def _n(x: float) -> str:
    """A coordinate: one decimal at most, no trailing zero."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _number(value: Number) -> str:
    if isinstance(value, float):
        value = round(value, 1)
    return formats.number_format(value)


def _value_text(value: Number | None, unit: str = "") -> str:
    if value is None:
        return _("not shown")
    text = _number(value)
    return f"{text}\u00a0{unit}" if unit else text


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_EM


def _wrap(text: str, max_chars: int, max_lines: int = 2, *, shorten: bool = True) -> list[str]:
    """``text`` cut at spaces into lines of at most ``max_chars`` (a longer word keeps
    its own line); with ``shorten``, a line still too long ends in an ellipsis."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= max_chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    if shorten:
        lines = [
            line if len(line) <= max_chars else line[: max_chars - 1].rstrip() + "\u2026"
            for line in lines
        ]
    return lines or [""]


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = FONT,
    anchor: str = "start",
    bold: bool = False,
    fill: str = INK,
    halo: bool = False,
) -> str:
    attributes = f'x="{_n(x)}" y="{_n(y)}"'
    if size != FONT:
        attributes += f' font-size="{size}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if bold:
        attributes += ' font-weight="700"'
    if fill != INK:
        attributes += f' fill="{fill}"'
    if halo:
        attributes += " " + _HALO
    return f"<text {attributes}>{escape(text)}</text>"


def _chart_id(kind: str, *data: object) -> str:
    """An id for the chart's parts from what it shows: unique on a page unless the
    same chart is drawn twice, and the same on every rendering."""
    digest = hashlib.blake2s(repr((kind, *data)).encode(), digest_size=4).hexdigest()
    return f"chart-{kind}-{digest}"


def _svg(
    uid: str, kind: str, *, title: str, desc: str, height: float, body: list[str], width=WIDTH
) -> SafeString:
    """The ``<svg>`` element around ``body``, whose labels were escaped by ``_text``."""
    content = "".join(body)
    return mark_safe(  # noqa: S308
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'class="chart chart-{kind}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" fill="{INK}">'
        f'<title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(desc)}</desc>{content}</svg>'
    )


def _hatch_defs(uid: str) -> str:
    """A grey hatching for suppressed cells: a pattern, not only a colour."""
    return (
        f'<defs><pattern id="{uid}-ns" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{HATCH_BG}"/>'
        f'<line x1="1" y1="0" x2="1" y2="6" stroke="{HATCH_LINE}" stroke-width="2"/>'
        "</pattern></defs>"
    )


def _hatch(uid: str) -> str:
    return f"url(#{uid}-ns)"


def _no_data(kind: str, title: str) -> SafeString:
    message = _("No data yet.")
    return _svg(
        _chart_id(kind, title),
        kind,
        title=title,
        desc=message,
        height=40,
        body=[_text(PAD, 25, message, fill=MUTED)],
    )


def _mix(low: str, high: str, t: float) -> str:
    """The colour ``t`` of the way from ``low`` to ``high`` (hex, 0 <= t <= 1)."""
    a = [int(low[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(high[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


def _points(points: Sequence[tuple[float, float]], dx: float = 0, dy: float = 0) -> str:
    return " ".join(f"{_n(x + dx)},{_n(y + dy)}" for x, y in points)


# --- Map ---------------------------------------------------------------------------

_MAP_X, _MAP_Y = 8.0, 52.0  # where the map's box sits in the viewBox
_MAP_W = kyrgyzstan.MAP_WIDTH + 2 * _MAP_X


def region_map(values: dict[str, int | None], *, title: str, unit_label: str = "") -> SafeString:
    """Kyrgyzstan's seven regions shaded by ``values`` (region code -> count), light
    to dark green, with Bishkek and Osh cities as circles shaded on the same scale.
    None is drawn hatched and labelled "not shown"; 0, or a region missing from
    ``values``, is drawn empty. Unknown keys (such as "abroad") are ignored.
    ``unit_label`` names what is counted ("Accepted mentees") in the legend."""
    known = {code: values.get(code, 0) for code in Region.values}
    uid = _chart_id("map", title, unit_label, known)
    shown = [v for v in known.values() if v]
    top = max(shown, default=0)
    bottom_value = min(shown, default=0)

    def fill(value: int | None) -> str:
        if value is None:
            return _hatch(uid)
        if value <= 0 or top <= 0:
            return "#ffffff"
        t = 0.0 if top == bottom_value else (value - bottom_value) / (top - bottom_value)
        return _mix(LIGHT, ACCENT, t)

    x0, y0 = _MAP_X, _MAP_Y
    body = [_hatch_defs(uid), f'<g stroke="{MUTED}" stroke-width="0.8" stroke-linejoin="round">']
    for code, shape in kyrgyzstan.REGION_SHAPES.items():
        body.append(f'<polygon points="{_points(shape, x0, y0)}" fill="{fill(known[code])}"/>')
    body.append(
        f'<polygon points="{_points(kyrgyzstan.LAKE, x0, y0)}" fill="{WATER}" stroke="#4a7fb0"/>'
        "</g>"
    )
    body.append(
        f'<polygon points="{_points(kyrgyzstan.OUTLINE, x0, y0)}" fill="none" '
        f'stroke="{INK}" stroke-width="1.6" stroke-linejoin="round"/>'
    )
    labels = []
    for code, spec in kyrgyzstan.LABELS.items():
        value = known[code]
        lines = [
            (line, SMALL, False)
            for line in _wrap(str(Region(code).label), spec.chars, 3, shorten=False)
        ]
        lines.append((_value_text(value), FONT if value is not None else SMALL, value is not None))
        first = spec.y - 14 * (len(lines) - 1) if spec.grows_up else spec.y
        # Keep a long name (in some language) inside the picture.
        width = max(_text_width(line, size) for line, size, _bold in lines)
        left = spec.x - {"start": 0, "middle": width / 2, "end": width}[spec.anchor]
        shift = max(0.0, -x0 + 2 - left) - max(0.0, left + width - (_MAP_W - x0 - 2))
        if spec.leader is not None:
            (ax, ay), (bx, by) = spec.leader
            labels.append(
                f'<line x1="{_n(ax + x0)}" y1="{_n(ay + y0)}" x2="{_n(bx + x0)}" '
                f'y2="{_n(by + y0)}" stroke="{INK}" stroke-width="0.8"/>'
            )
        for i, (line, size, bold) in enumerate(lines):
            labels.append(
                _text(
                    spec.x + shift + x0,
                    first + 14 * i + y0,
                    line,
                    size=size,
                    anchor=spec.anchor,
                    bold=bold,
                    halo=True,
                )
            )
    for code, (cx, cy) in kyrgyzstan.CITY_POINTS.items():
        body.append(
            f'<circle cx="{_n(cx + x0)}" cy="{_n(cy + y0)}" r="6" fill="{fill(known[code])}" '
            f'stroke="{INK}" stroke-width="1.6"/>'
        )
    body.extend(labels)

    # Legend: the scale, then what empty and hatched mean.
    y = y0 + kyrgyzstan.MAP_HEIGHT + 40
    legend = []
    if top > 0:
        low_text, high_text = _number(bottom_value), _number(top)
        x = PAD
        legend.append(
            f'<defs><linearGradient id="{uid}-scale">'
            f'<stop offset="0" stop-color="{LIGHT}"/><stop offset="1" stop-color="{ACCENT}"/>'
            "</linearGradient></defs>"
        )
        legend.append(_text(x, y + 11, low_text, size=SMALL))
        x += _text_width(low_text, SMALL) + 4
        legend.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="90" height="14" fill="url(#{uid}-scale)" '
            f'stroke="{MUTED}" stroke-width="0.8"/>'
        )
        x += 94
        legend.append(_text(x, y + 11, high_text, size=SMALL))
        x += _text_width(high_text, SMALL) + 8
        if unit_label:
            legend.append(_text(x, y + 11, unit_label, size=SMALL))
        y += 24
    x = PAD
    legend.append(
        f'<rect x="{_n(x)}" y="{_n(y)}" width="18" height="14" fill="#ffffff" '
        f'stroke="{MUTED}" stroke-width="0.8"/>'
    )
    legend.append(_text(x + 24, y + 11, _("none"), size=SMALL))
    x += 24 + _text_width(_("none"), SMALL) + 14
    hidden = _("not shown: fewer than %(count)s people") % {"count": MIN_CELL}
    legend.append(
        f'<rect x="{_n(x)}" y="{_n(y)}" width="18" height="14" fill="{_hatch(uid)}" '
        f'stroke="{MUTED}" stroke-width="0.8"/>'
    )
    legend.append(_text(x + 24, y + 11, hidden, size=SMALL))
    body.extend(legend)

    described = "; ".join(f"{Region(code).label}: {_value_text(v)}" for code, v in known.items())
    desc = f"{unit_label}. {described}." if unit_label else f"{described}."
    return _svg(uid, "map", title=title, desc=desc, height=y + 22, body=body, width=_MAP_W)


# --- Bars --------------------------------------------------------------------------


def bar_chart(rows: list[tuple[str, Number | None]], *, title: str, unit: str = "") -> SafeString:
    """One horizontal bar per row (label above its bar, the value at its end), longest
    for the largest value. ``unit`` is a short suffix shown after each value ("%")."""
    if not rows:
        return _no_data("bars", title)
    top = max((float(v) for _label, v in rows if v is not None), default=0.0)
    uid = _chart_id("bars", title, unit, rows)
    value_room = 78
    bar_room = WIDTH - 2 * PAD - value_room
    body = [_hatch_defs(uid)]
    y = 4.0
    for label, value in rows:
        for line in _wrap(str(label), int((WIDTH - 2 * PAD) / (FONT * CHAR_EM))):
            y += 16
            body.append(_text(PAD, y, line))
        y += 5
        text = _value_text(value, unit)
        if value is None:
            body.append(
                f'<rect x="{PAD}" y="{_n(y)}" width="24" height="16" fill="{_hatch(uid)}" '
                f'stroke="{MUTED}" stroke-width="0.8"/>'
            )
            body.append(_text(PAD + 30, y + 12.5, text, size=SMALL, fill=MUTED))
        else:
            length = bar_room * max(float(value), 0.0) / top if top > 0 else 0.0
            if length > 0:
                body.append(
                    f'<rect x="{PAD}" y="{_n(y)}" width="{_n(max(length, 1.5))}" height="16" '
                    f'fill="{ACCENT}"/>'
                )
            body.append(_text(PAD + length + 6, y + 12.5, text, bold=True))
        y += 16 + 10
    body.insert(
        1,
        f'<line x1="{PAD}" y1="6" x2="{PAD}" y2="{_n(y - 6)}" stroke="{MUTED}" stroke-width="1"/>',
    )
    desc = "; ".join(f"{label}: {_value_text(value, unit)}" for label, value in rows) + "."
    return _svg(uid, "bars", title=title, desc=desc, height=y, body=body)


# --- Trend -------------------------------------------------------------------------

# Colour, marker and dash of each series, so that they differ by more than colour.
_SERIES_STYLES = [
    (BRAND, "circle", ""),
    (ACCENT, "square", "7 4"),
    (ORANGE, "triangle", "2 3"),
    (BLUE, "diamond", "10 3 2 3"),
]


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{_n(x - 3.5)}" y="{_n(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
    if shape == "diamond":
        diamond = _points([(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)])
        return f'<polygon points="{diamond}" fill="{colour}"/>'
    triangle = _points([(x, y - 5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5)])
    return f'<polygon points="{triangle}" fill="{colour}"/>'


def _nice_ceiling(value: float) -> tuple[float, float]:
    """A round top for an axis reaching ``value`` and the step of its ticks."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if step < 1:
        step = 1.0
    return step * math.ceil(value / step), step


def trend_chart(
    months: list[str], series: list[tuple[str, list[int | None]]], *, title: str
) -> SafeString:
    """A line per series over ``months`` (labels, oldest first), each value a marker;
    a None leaves a gap in its line. The last value of each line is written at its
    end. Up to four series are told apart by colour, marker shape and dash (more
    repeat the styles: keep it to a few)."""
    series = [(name, list(values)[: len(months)]) for name, values in series]
    known = [v for _name, values in series for v in values if v is not None]
    if not months or not series:
        return _no_data("trend", title)
    top, step = _nice_ceiling(max(known, default=0))
    left, right, plot_top, plot_h = 38.0, 44.0, 12.0, 160.0
    plot_w = WIDTH - left - right
    count = len(months)

    def x_of(i: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * i / (count - 1))

    def y_of(v: float) -> float:
        return plot_top + plot_h * (1 - v / top)

    body = [f'<g stroke="{LINE}" stroke-width="1">']
    tick = 0.0
    ticks = []
    while tick <= top + 1e-9:
        body.append(
            f'<line x1="{_n(left)}" y1="{_n(y_of(tick))}" x2="{_n(left + plot_w)}" '
            f'y2="{_n(y_of(tick))}"/>'
        )
        ticks.append(_text(left - 6, y_of(tick) + 4, _number(int(tick)), size=11, anchor="end"))
        tick += step
    body.append("</g>")
    body.extend(ticks)
    body.append(
        f'<line x1="{_n(left)}" y1="{_n(plot_top + plot_h)}" x2="{_n(left + plot_w)}" '
        f'y2="{_n(plot_top + plot_h)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    # At most five month labels fit on a phone; the latest month always has one.
    every = max(1, math.ceil(count / 5))
    for i, month in enumerate(months):
        if (count - 1 - i) % every == 0:
            body.append(
                _text(
                    x_of(i),
                    plot_top + plot_h + 16,
                    _wrap(str(month), 9, 1)[0],
                    size=11,
                    anchor="middle",
                    fill=MUTED,
                )
            )
    ends = []
    for (_name, values), (colour, shape, dash) in zip(series, itertools.cycle(_SERIES_STYLES)):
        segment: list[tuple[float, float]] = []
        segments = []
        for i, value in enumerate(values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append((x_of(i), y_of(value)))
        if segment:
            segments.append(segment)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for part in segments:
            if len(part) > 1:
                body.append(
                    f'<polyline points="{_points(part)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5" stroke-linejoin="round"{dash_attr}/>'
                )
            body.extend(_marker(shape, x, y, colour) for x, y in part)
        last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None), None)
        if last is not None:
            ends.append([y_of(last[1]), x_of(last[0]), _number(last[1])])
    # Keep the end labels at least a line apart.
    ends.sort()
    for previous, current in zip(ends, ends[1:], strict=False):
        current[0] = max(current[0], previous[0] + 13)
    for y, x, text in ends:
        body.append(_text(x + 8, y + 4, text, bold=True, halo=True))
    y = plot_top + plot_h + 26
    for (name, _values), (colour, shape, dash) in zip(series, itertools.cycle(_SERIES_STYLES)):
        y += 20
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="{PAD}" y1="{_n(y - 4)}" x2="{PAD + 28}" y2="{_n(y - 4)}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
        )
        body.append(_marker(shape, PAD + 14, y - 4, colour))
        body.append(_text(PAD + 36, y, _wrap(str(name), 44, 1)[0]))
    desc = " ".join(
        f"{name}: "
        + ", ".join(f"{month} {_value_text(v)}" for month, v in zip(months, values, strict=False))
        + "."
        for name, values in series
    )
    return _svg(
        _chart_id("trend", title, months, series),
        "trend",
        title=title,
        desc=desc,
        height=y + 10,
        body=body,
    )


# --- Funnel ------------------------------------------------------------------------


def funnel_chart(stages: list[tuple[str, int | None]], *, title: str) -> SafeString:
    """Stages of the programme (applied, accepted, matched, met, completed) as centred
    bars narrowing with their counts, each with its count and its share of the first
    stage."""
    if not stages:
        return _no_data("funnel", title)
    first = stages[0][1]
    uid = _chart_id("funnel", title, stages)
    top = max((v for _label, v in stages if v is not None), default=0)
    full = WIDTH - 2 * PAD
    centre = WIDTH / 2
    body = [_hatch_defs(uid)]
    parts = []
    y = 4.0
    previous: tuple[float, float] | None = None  # the last bar's half width and bottom
    for label, value in stages:
        share = percent(value, first)
        text = _value_text(value)
        if value is not None and share is not None:
            text = f"{text} ({_number(share)}\u00a0%)"
        lines = _wrap(str(label), int((full - _text_width(text, FONT) - 8) / (FONT * CHAR_EM)))
        for i, line in enumerate(lines):
            y += 16
            parts.append(_text(PAD, y, line))
            if i == 0:
                parts.append(
                    _text(
                        WIDTH - PAD,
                        y,
                        text,
                        anchor="end",
                        bold=value is not None,
                        fill=INK if value is not None else MUTED,
                    )
                )
        y += 5
        if value is None:
            half, colour = 20.0, _hatch(uid)
        else:
            half = full / 2 * value / top if top > 0 else 0.0
            half, colour = max(half, 1.0), BRAND
        if previous is not None:
            p_half, p_bottom = previous
            corners = [
                (centre - p_half, p_bottom),
                (centre + p_half, p_bottom),
                (centre + half, y),
                (centre - half, y),
            ]
            body.append(f'<polygon points="{_points(corners)}" fill="{TINT}"/>')
        parts.append(
            f'<rect x="{_n(centre - half)}" y="{_n(y)}" width="{_n(2 * half)}" height="20" '
            f'fill="{colour}"'
            + (f' stroke="{MUTED}" stroke-width="0.8"/>' if value is None else "/>")
        )
        previous = (half, y + 20)
        y += 20 + 6
    body.extend(parts)
    desc = (
        "; ".join(
            f"{label}: {_value_text(value)}"
            + (
                f" ({_number(percent(value, first))}\u00a0%)"
                if percent(value, first) is not None
                else ""
            )
            for label, value in stages
        )
        + "."
    )
    return _svg(uid, "funnel", title=title, desc=desc, height=y, body=body)


# --- Change (dumbbell) -------------------------------------------------------------


def change_chart(
    rows: list[tuple[str, Decimal | None, Decimal | None]],
    *,
    title: str,
    low: int = 1,
    high: int = 5,
    before_label: str,
    after_label: str,
) -> SafeString:
    """For each survey question the mean answer before (open circle) and after
    (filled circle) on a ``low``-``high`` scale, joined by a line, each written
    beside its mark. A None mean (too few answers) is "not shown"."""
    if not rows:
        return _no_data("change", title)
    left, right = 40.0, WIDTH - 40.0

    def x_of(v: Decimal) -> float:
        t = (float(v) - low) / (high - low) if high > low else 0.0
        return left + (right - left) * min(max(t, 0.0), 1.0)

    def open_mark(x: float, y: float) -> str:
        return (
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="6" fill="#ffffff" stroke="{BRAND}" '
            f'stroke-width="2.5"/>'
        )

    def filled_mark(x: float, y: float) -> str:
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="6.5" fill="{ACCENT}"/>'

    body = []
    # Legend.
    y = 18.0
    x = PAD + 8
    body.append(open_mark(x, y - 4))
    body.append(_text(x + 12, y, before_label))
    x += 12 + _text_width(before_label, FONT) + 20
    if x + 12 + _text_width(after_label, FONT) > WIDTH:
        x, y = PAD + 8, y + 20
    body.append(filled_mark(x, y - 4))
    body.append(_text(x + 12, y, after_label))
    # The scale, on top; its lines run through every row.
    y += 24
    grid_start = y + 6
    for tick in range(low, high + 1):
        body.append(
            _text(x_of(Decimal(tick)), y, _number(tick), size=11, anchor="middle", fill=MUTED)
        )
    rows_svg = []
    for label, before, after in rows:
        for line in _wrap(str(label), int((WIDTH - 2 * PAD) / (FONT * CHAR_EM))):
            y += 17
            rows_svg.append(_text(PAD, y, line))
        y += 16
        if before is not None and after is not None:
            xb, xa = x_of(before), x_of(after)
            rows_svg.append(
                f'<line x1="{_n(xb)}" y1="{_n(y)}" x2="{_n(xa)}" y2="{_n(y)}" '
                f'stroke="{MUTED}" stroke-width="3"/>'
            )
            before_side = -1 if xb <= xa else 1
            rows_svg.append(open_mark(xb, y))
            rows_svg.append(filled_mark(xa, y))
            rows_svg.append(
                _text(
                    xb + before_side * 10,
                    y + 4.5,
                    _number(before),
                    size=SMALL,
                    anchor="end" if before_side < 0 else "start",
                )
            )
            rows_svg.append(
                _text(
                    xa - before_side * 10,
                    y + 4.5,
                    _number(after),
                    size=SMALL,
                    bold=True,
                    anchor="start" if before_side < 0 else "end",
                )
            )
        elif before is None and after is None:
            rows_svg.append(_text(PAD, y + 4.5, _("not shown"), size=SMALL, fill=MUTED))
        else:
            value = before if before is not None else after
            x = x_of(value)
            rows_svg.append(open_mark(x, y) if after is None else filled_mark(x, y))
            missing = after_label if after is None else before_label
            note = f"{_number(value)} · {missing}: {_('not shown')}"
            anchor = "start" if x < WIDTH / 2 else "end"
            rows_svg.append(
                _text(
                    x + (10 if anchor == "start" else -10),
                    y + 4.5,
                    note,
                    size=SMALL,
                    anchor=anchor,
                    halo=True,
                )
            )
        y += 12
    body.append(f'<g stroke="{LINE}" stroke-width="1">')
    for tick in range(low, high + 1):
        gx = _n(x_of(Decimal(tick)))
        body.append(f'<line x1="{gx}" y1="{_n(grid_start)}" x2="{gx}" y2="{_n(y)}"/>')
    body.append("</g>")
    body.extend(rows_svg)

    def described(label, before, after) -> str:
        text = f"{label}: {before_label} {_value_text(before)}, {after_label} {_value_text(after)}"
        if before is not None and after is not None:
            change = Decimal(after) - Decimal(before)
            sign = "+" if change > 0 else ""
            text += f" ({sign}{_number(change)})"
        return text

    desc = (
        _("Mean answers on a scale from %(low)s to %(high)s.") % {"low": low, "high": high}
        + " "
        + "; ".join(described(*row) for row in rows)
        + "."
    )
    return _svg(
        _chart_id("change", title, rows, low, high),
        "change",
        title=title,
        desc=desc,
        height=y + 4,
        body=body,
    )
