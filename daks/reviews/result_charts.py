"""Charts of the survey results as accessible server-side SVG (horizontal bars).

Built with the helpers and style of ``daks.demography.charts``: ``role="img"`` with ``<title>`` and ``<desc>``,
every text escaped, no inline styles or scripts, numbers formatted for the active language. Each bar carries its
value as text and, with two survey rounds, the round's letter ("A"/"B"), so nothing is told by colour alone. The
page shows the same figures in a table below each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from daks.demography.charts import AXIS, BAND, GRID, SMALL_FONT_SIZE, _attrs, _open_svg, _text

from .results import Comparison, QuestionStats

WIDTH = 680
LABEL_WIDTH = 250
BAR = 18
GAP = 4
ROW_GAP = 12
SERIES_COLOURS = (BAND, "#8a4b08")  # both ≥ 4.5:1 on white


@dataclass
class Bar:
    series: str  # "" for a single series, else "A"/"B"
    value: float
    text: str  # the value as shown next to the bar


def short(text: str, limit: int = 38) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bars_svg(
    rows: Sequence[tuple[str, Sequence[Bar]]], *, maximum: float, chart_id: str, title: str, desc: str
) -> SafeString:
    """Rows of one or more horizontal bars: ``[(label, [Bar, …]), …]``; bar lengths relative to ``maximum``."""
    per_row = max((len(bars) for _label, bars in rows), default=1)
    row_height = per_row * BAR + (per_row - 1) * GAP + ROW_GAP
    top = 8
    height = top + row_height * max(len(rows), 1) + 4
    x0, x1 = LABEL_WIDTH, WIDTH - 120
    parts = _open_svg(chart_id, WIDTH, height, title, desc)
    for index, (label, bars) in enumerate(rows):
        y = top + index * row_height
        block = len(bars) * BAR + (len(bars) - 1) * GAP
        parts.append(_text(x0 - 10, y + block / 2 + 4, short(label), anchor="end"))
        for position, bar in enumerate(bars):
            by = y + position * (BAR + GAP)
            width = (x1 - x0) * (bar.value / maximum) if maximum else 0
            colour = SERIES_COLOURS[position % len(SERIES_COLOURS)]
            if width > 0:
                parts.append(f"<rect {_attrs(x=x0, y=by, width=width, height=BAR, fill=colour)}/>")
            caption = f"{bar.series}: {bar.text}" if bar.series else bar.text
            parts.append(_text(x0 + width + 6, by + BAR - 5, caption, size=SMALL_FONT_SIZE, weight="700"))
        if index:
            parts.append(f"<line {_attrs(x1=x0 - 200, y1=y - ROW_GAP / 2, x2=x1, y2=y - ROW_GAP / 2, stroke=GRID)}/>")
    parts.append(f"<line {_attrs(x1=x0, y1=top, x2=x0, y2=height - 4, stroke=AXIS)}/>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - texts escaped by _text/_attrs/_open_svg


def _count_text(bucket) -> str:
    return f"{bucket.count} ({bucket.percent_display} %)"


def distribution_svg(stats: QuestionStats, *, chart_id: str) -> SafeString:
    """The answers of one Likert or choice question: count and share per scale value / option."""
    title = _("Distribution of the answers: %(question)s") % {"question": stats.text}
    desc = "; ".join(f"{bucket.label}: {_count_text(bucket)}" for bucket in stats.buckets)
    desc = _("%(n)s answers. %(values)s") % {"n": stats.n, "values": desc}
    rows = [(bucket.label, [Bar("", bucket.count, _count_text(bucket))]) for bucket in stats.buckets]
    return bars_svg(rows, maximum=max(stats.max_count, 1), chart_id=chart_id, title=title, desc=desc)


def comparison_means_svg(comparison: Comparison, *, chart_id: str = "comparison-means") -> SafeString:
    """Mean per Likert question in round A and round B (scale 1 to 5)."""
    title = _("Mean per statement: round A (%(a)s) and round B (%(b)s)") % {
        "a": comparison.a.survey.title,
        "b": comparison.b.survey.title,
    }
    rows, described = [], []
    for number, row in enumerate(comparison.likert, start=1):
        rows.append(
            (
                f"{number}. {row.text}",
                [
                    Bar("A", row.a.mean or 0, row.a.mean_display),
                    Bar("B", row.b.mean or 0, row.b.mean_display),
                ],
            )
        )
        described.append(
            _("%(number)s. %(question)s: A %(a)s, B %(b)s (%(change)s)")
            % {
                "number": number,
                "question": short(row.text, 60),
                "a": row.a.mean_display,
                "b": row.b.mean_display,
                "change": row.change_label,
            }
        )
    desc = _("Scale from 1 (does not apply at all) to 5 (fully applies). %(rows)s") % {"rows": "; ".join(described)}
    return bars_svg(rows, maximum=5, chart_id=chart_id, title=title, desc=desc)


def comparison_distribution_svg(row, *, chart_id: str) -> SafeString:
    """The distribution of one Likert question in both rounds (share of the answers per scale value)."""
    title = _("Distribution in round A and round B: %(question)s") % {"question": row.text}
    rows, described = [], []
    for bucket_a, bucket_b in row.rows:
        rows.append(
            (
                bucket_b.label,
                [
                    Bar("A", bucket_a.percent, f"{bucket_a.percent_display} %"),
                    Bar("B", bucket_b.percent, f"{bucket_b.percent_display} %"),
                ],
            )
        )
        described.append(f"{bucket_b.label}: A {bucket_a.percent_display} %, B {bucket_b.percent_display} %")
    return bars_svg(rows, maximum=100, chart_id=chart_id, title=title, desc=fmt_join(described))


def fmt_join(parts: Sequence[str]) -> str:
    return "; ".join(parts) or _("No answers.")
