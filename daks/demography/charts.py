"""Server-side SVG charts: pure functions that return SVG markup (no JavaScript, no inline styles).

Every text that goes into the markup is escaped with ``django.utils.html.escape`` before the result is marked
safe. Numbers are formatted for the active language (``django.utils.formats.number_format``). The charts are
accessible images (``role="img"`` with ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``); the page
shows the same figures as a data table below each chart. Colours have at least 3:1 contrast against white, and
series differ by dash pattern and marker shape as well, so no information is carried by colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

TEXT = "#1d2630"
MUTED = "#4f5b66"
GRID = "#d5dce2"
AXIS = "#8c99a4"
MALE = "#2f7f9f"  # 4.5:1 on white, 3.4:1 against the dark overlay outline
FEMALE = "#a35f14"  # 5.0:1 on white, 3.1:1 against the dark overlay outline
BAND = "#0b5a7a"

#: Line styles, in order of the series: colour, dash pattern (None = solid) and marker shape.
SERIES_STYLES = [
    ("#0b5a7a", None, "circle"),
    ("#8a4b08", "8 4", "square"),
    ("#1c6b34", "2 3", "triangle"),
    ("#5b3f8c", "10 3 2 3", "diamond"),
]

FONT_SIZE = 13
SMALL_FONT_SIZE = 12


def rounded(value: float, decimals: int = 0) -> Decimal:
    """``value`` rounded half up (as Django's ``floatformat`` rounds), as a Decimal."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def localised(value: float, decimals: int = 0) -> str:
    """A number in the format of the active language, with thousands separators (“1.234,5” in German)."""
    return number_format(rounded(value, decimals), decimals, force_grouping=True)


_fmt = localised


def _num(value: float) -> str:
    """A coordinate for the markup (plain dot decimals, never localised)."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _attrs(**attributes) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, float | int) and not isinstance(value, bool):
            value = _num(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"')
    return " ".join(parts)


def _text(x, y, content, *, size=FONT_SIZE, anchor="start", fill=TEXT, weight=None) -> str:
    attributes = _attrs(x=x, y=y, font_size=size, text_anchor=anchor, fill=fill, font_weight=weight)
    return f"<text {attributes}>{escape(content)}</text>"


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about ``target_ticks`` ticks."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def nice_range(low: float, high: float, target_ticks: int = 5) -> tuple[float, float, float]:
    """``(axis_min, axis_max, step)`` covering ``low``..``high`` with round ticks."""
    if high < low:
        low, high = high, low
    if high == low:
        padding = abs(high) * 0.1 or 1.0
        low, high = low - padding, high + padding
    step = nice_step(high - low, target_ticks)
    axis_min = math.floor(low / step) * step
    axis_max = math.ceil(high / step) * step
    return axis_min, axis_max, step


def _ticks(axis_min: float, axis_max: float, step: float) -> list[float]:
    count = round((axis_max - axis_min) / step)
    return [axis_min + i * step for i in range(count + 1)]


def _decimals_for(step: float) -> int:
    if step >= 1:
        return 0
    return min(3, max(1, -math.floor(math.log10(step))))


def _open_svg(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" {_attrs(aria_labelledby=f"{title_id} {desc_id}")} '
        f'preserveAspectRatio="xMidYMid meet">',
        f"<title {_attrs(id=title_id)}>{escape(title)}</title>",
        f"<desc {_attrs(id=desc_id)}>{escape(desc)}</desc>",
    ]


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.0) -> str:
    if shape == "square":
        return f"<rect {_attrs(x=x - size, y=y - size, width=2 * size, height=2 * size, fill=colour)}/>"
    if shape == "triangle":
        corners = [(x, y - size - 1), (x - size - 1, y + size), (x + size + 1, y + size)]
        points = " ".join(f"{_num(cx)},{_num(cy)}" for cx, cy in corners)
        return f"<polygon {_attrs(points=points, fill=colour)}/>"
    if shape == "diamond":
        s = size + 1
        points = f"{_num(x)},{_num(y - s)} {_num(x + s)},{_num(y)} {_num(x)},{_num(y + s)} {_num(x - s)},{_num(y)}"
        return f"<polygon {_attrs(points=points, fill=colour)}/>"
    return f"<circle {_attrs(cx=x, cy=y, r=size, fill=colour)}/>"


def group_label(group: tuple[int, int | None]) -> str:
    """“0–4”, “90+” (age groups of pyramids)."""
    lower, upper = group
    return f"{lower}+" if upper is None else f"{lower}–{upper}"


def pyramid_svg(
    groups: Sequence[tuple[int, int | None]],
    male: Sequence[float],
    female: Sequence[float],
    overlay_male: Sequence[float] | None = None,
    overlay_female: Sequence[float] | None = None,
    *,
    title: str,
    desc: str = "",
    chart_id: str = "pyramid",
    base_label: str = "",
    overlay_label: str = "",
) -> SafeString:
    """A population pyramid: men to the left, women to the right, youngest at the bottom.

    ``overlay_male``/``overlay_female`` (e.g. the projection for the horizon year) are drawn as dashed outlines on
    top of the bars. All sequences are in the order of ``groups``.
    """
    n = len(groups)
    if len(male) != n or len(female) != n:
        raise ValueError("male and female need one value per age group")
    has_overlay = overlay_male is not None and overlay_female is not None
    if has_overlay and (len(overlay_male) != n or len(overlay_female) != n):
        raise ValueError("the overlay needs one value per age group")

    width = 720
    label_col = 64
    margin_x = 24
    top = 56
    row = 20
    plot_height = n * row
    axis_y = top + plot_height
    legend_y = axis_y + 64
    height = legend_y + (44 if has_overlay else 24)
    centre = width / 2
    half = centre - label_col / 2 - margin_x

    values = [float(v or 0) for v in (*male, *female)]
    if has_overlay:
        values += [float(v or 0) for v in (*overlay_male, *overlay_female)]
    largest = max(values) if values and max(values) > 0 else 1.0
    step = nice_step(largest, 4)
    axis_max = max(math.ceil(largest / step) * step, step)

    def bar_length(value) -> float:
        return half * max(float(value or 0), 0) / axis_max

    left_origin = centre - label_col / 2
    right_origin = centre + label_col / 2

    if not desc:
        desc = _("Men on the left, women on the right; age groups from the youngest (bottom) to the oldest (top).")
    parts = _open_svg(chart_id, width, height, title, desc)
    parts.append(_text(left_origin - half / 2, 20, _("Men"), anchor="middle", weight="700"))
    parts.append(_text(right_origin + half / 2, 20, _("Women"), anchor="middle", weight="700"))
    parts.append(_text(centre, 44, _("Age"), anchor="middle", size=SMALL_FONT_SIZE, fill=MUTED))

    # grid lines and the value axis on both sides
    decimals = _decimals_for(step)
    for tick in _ticks(0, axis_max, step):
        for origin, direction in ((left_origin, -1), (right_origin, 1)):
            x = origin + direction * bar_length(tick)
            parts.append(f"<line {_attrs(x1=x, y1=top, x2=x, y2=axis_y, stroke=GRID, stroke_width=1)}/>")
            parts.append(_text(x, axis_y + 18, _fmt(tick, decimals), size=SMALL_FONT_SIZE, anchor="middle"))
    parts.append(
        _text(centre, axis_y + 36, _("Persons per age group"), size=SMALL_FONT_SIZE, anchor="middle", fill=MUTED)
    )

    for index, group in enumerate(groups):
        y = top + (n - 1 - index) * row
        bar_y, bar_h = y + 2, row - 4
        male_len, female_len = bar_length(male[index]), bar_length(female[index])
        parts.append(f"<rect {_attrs(x=left_origin - male_len, y=bar_y, width=male_len, height=bar_h, fill=MALE)}/>")
        parts.append(f"<rect {_attrs(x=right_origin, y=bar_y, width=female_len, height=bar_h, fill=FEMALE)}/>")
        parts.append(_text(centre, y + row / 2 + 4, group_label(group), size=SMALL_FONT_SIZE, anchor="middle"))
        if has_overlay:
            outline = {"fill": "none", "stroke": TEXT, "stroke_width": 2, "stroke_dasharray": "5 3"}
            male_len, female_len = bar_length(overlay_male[index]), bar_length(overlay_female[index])
            parts.append(
                f"<rect {_attrs(x=left_origin - male_len, y=bar_y, width=male_len, height=bar_h, **outline)}/>"
            )
            parts.append(f"<rect {_attrs(x=right_origin, y=bar_y, width=female_len, height=bar_h, **outline)}/>")
    parts.append(f"<line {_attrs(x1=margin_x, y1=axis_y, x2=width - margin_x, y2=axis_y, stroke=AXIS)}/>")

    # legend
    x = margin_x
    parts.append(f"<rect {_attrs(x=x, y=legend_y - 11, width=14, height=12, fill=MALE)}/>")
    parts.append(f"<rect {_attrs(x=x + 16, y=legend_y - 11, width=14, height=12, fill=FEMALE)}/>")
    parts.append(_text(x + 38, legend_y, base_label or _("Bars: men and women")))
    if has_overlay:
        y = legend_y + 22
        attributes = _attrs(
            x=x, y=y - 11, width=30, height=12, fill="none", stroke=TEXT, stroke_width=2, stroke_dasharray="5 3"
        )
        parts.append(f"<rect {attributes}/>")
        parts.append(_text(x + 38, y, overlay_label or _("Outline: projection")))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def _segments(points: Sequence[tuple[int, float]], max_gap: int | None) -> list[list[tuple[int, float]]]:
    """Split a sorted series where consecutive years are more than ``max_gap`` apart (not joined by a line)."""
    segments: list[list[tuple[int, float]]] = []
    for point in points:
        if segments and (max_gap is None or point[0] - segments[-1][-1][0] <= max_gap):
            segments[-1].append(point)
        else:
            segments.append([point])
    return segments


def line_svg(
    series: Sequence[tuple[str, Sequence[tuple[int, float]]]],
    band: tuple[str, Sequence[tuple[int, float, float]]] | None = None,
    *,
    title: str,
    desc: str = "",
    chart_id: str = "line",
    y_label: str = "",
    decimals: int = 0,
    zero_based: bool | None = None,
    max_gap: int | None = None,
) -> SafeString:
    """A line chart over years: ``series`` is a list of ``(label, [(year, value), …])``; ``band`` an optional
    ``(label, [(year, low, high), …])`` drawn as a shaded area with dashed edges behind the lines.

    A series with a single point is drawn as a marker only; with ``max_gap`` a series is not joined across gaps of
    more years than that (missing years are not interpolated). Each series has its own dash pattern and marker
    shape (``SERIES_STYLES``), so the legend does not rely on colour.
    """
    series = [(label, [(int(x), float(y)) for x, y in points if y is not None]) for label, points in series]
    series = [(label, sorted(points)) for label, points in series if points]
    band_points = sorted((int(x), float(lo), float(hi)) for x, lo, hi in band[1]) if band else []

    years = [x for _label, points in series for x, _y in points] + [x for x, _lo, _hi in band_points]
    values = [y for _label, points in series for _x, y in points]
    values += [v for _x, lo, hi in band_points for v in (lo, hi)]
    if not years:
        raise ValueError("nothing to draw")

    width = 720
    left, right, top = 96, 24, 24
    plot_height = 260
    axis_y = top + plot_height
    legend_entries = len(series) + (1 if band_points else 0)
    legend_top = axis_y + 56
    height = legend_top + legend_entries * 22
    plot_width = width - left - right

    x_min, x_max = min(years), max(years)
    if x_min == x_max:
        x_min, x_max = x_min - 1, x_max + 1
    low, high = min(values), max(values)
    if zero_based is None:
        zero_based = low >= 0 and low < 0.5 * high
    y_min, y_max, step = nice_range(0 if zero_based else low, high)

    def px(year: float) -> float:
        return left + (year - x_min) / (x_max - x_min) * plot_width

    def py(value: float) -> float:
        return axis_y - (value - y_min) / (y_max - y_min) * plot_height

    if not desc:
        desc = _("Line chart over the years %(first)s to %(last)s.") % {"first": min(years), "last": max(years)}
    parts = _open_svg(chart_id, width, height, title, desc)

    tick_decimals = max(decimals if step < 1 else 0, _decimals_for(step))
    for tick in _ticks(y_min, y_max, step):
        y = py(tick)
        parts.append(f"<line {_attrs(x1=left, y1=y, x2=width - right, y2=y, stroke=GRID, stroke_width=1)}/>")
        parts.append(_text(left - 8, y + 4, _fmt(tick, tick_decimals), size=SMALL_FONT_SIZE, anchor="end"))
    if y_label:
        parts.append(_text(left, top - 8, y_label, size=SMALL_FONT_SIZE, fill=MUTED))

    span = x_max - x_min
    year_step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if span / s <= 10)
    first_tick = math.ceil(x_min / year_step) * year_step
    for year in range(first_tick, x_max + 1, year_step):
        x = px(year)
        parts.append(f"<line {_attrs(x1=x, y1=axis_y, x2=x, y2=axis_y + 5, stroke=AXIS)}/>")
        parts.append(_text(x, axis_y + 20, str(year), size=SMALL_FONT_SIZE, anchor="middle"))
    parts.append(
        _text(left + plot_width / 2, axis_y + 40, _("Year"), size=SMALL_FONT_SIZE, anchor="middle", fill=MUTED)
    )
    parts.append(f"<line {_attrs(x1=left, y1=axis_y, x2=width - right, y2=axis_y, stroke=AXIS)}/>")
    parts.append(f"<line {_attrs(x1=left, y1=top, x2=left, y2=axis_y, stroke=AXIS)}/>")

    if band_points:
        upper = " ".join(f"{_num(px(x))},{_num(py(hi))}" for x, _lo, hi in band_points)
        lower = " ".join(f"{_num(px(x))},{_num(py(lo))}" for x, lo, _hi in reversed(band_points))
        parts.append(f"<polygon {_attrs(points=f'{upper} {lower}', fill=BAND, fill_opacity='0.14')}/>")
        for edge in (upper, " ".join(f"{_num(px(x))},{_num(py(lo))}" for x, lo, _hi in band_points)):
            attributes = _attrs(points=edge, fill="none", stroke=BAND, stroke_width=1.5, stroke_dasharray="3 3")
            parts.append(f"<polyline {attributes}/>")

    with_markers = any(len(_segments(points, max_gap)) > 1 for _label, points in series) or all(
        len(points) <= 40 for _label, points in series
    )
    for index, (_label, points) in enumerate(series):
        colour, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        for segment in _segments(points, max_gap):
            if len(segment) > 1:
                path = " ".join(f"{_num(px(x))},{_num(py(y))}" for x, y in segment)
                attributes = _attrs(points=path, fill="none", stroke=colour, stroke_width=2.5, stroke_dasharray=dash)
                parts.append(f'<polyline {attributes} stroke-linejoin="round"/>')
        if with_markers or len(points) == 1:
            parts.extend(_marker(shape, px(x), py(y), colour, 3.5 if len(points) > 1 else 5) for x, y in points)

    # legend, one entry per line
    y = legend_top
    for index, (label, points) in enumerate(series):
        colour, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        if len(points) > 1:
            attributes = _attrs(
                x1=left, y1=y - 4, x2=left + 36, y2=y - 4, stroke=colour, stroke_width=2.5, stroke_dasharray=dash
            )
            parts.append(f"<line {attributes}/>")
        parts.append(_marker(shape, left + 18, y - 4, colour))
        parts.append(_text(left + 46, y, label))
        y += 22
    if band_points:
        attributes = _attrs(
            x=left,
            y=y - 11,
            width=36,
            height=14,
            fill=BAND,
            fill_opacity="0.14",
            stroke=BAND,
            stroke_width=1.5,
            stroke_dasharray="3 3",
        )
        parts.append(f"<rect {attributes}/>")
        parts.append(_text(left + 46, y, band[0]))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
