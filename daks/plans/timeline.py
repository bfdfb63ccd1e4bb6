"""The timeline (Gantt chart) of a Werkstattplan: data, year range and an accessible SVG.

The chart is built from a *document* — the structure of a version snapshot (``versions.snapshot_document``):
fields of action, each with numbered measures (dates as ``datetime.date``, milestones). The live plan page gets a
light document from ``live_document`` (three queries); versions, the public page and the exports pass their
snapshot. The SVG is an image (``role="img"`` with ``<title>`` and ``<desc>``); the page shows the same content
as a table (``Timeline.rows``). Bars are grouped by field of action; milestones are diamonds (filled when reached,
outlined when open); a dashed line marks today. Status is written in the table, never shown by colour alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from daks.demography.charts import MUTED, SMALL_FONT_SIZE, TEXT, _attrs, _open_svg, _text

from .models import Measure, MeasureStatus, Milestone

#: Longest span of years the chart shows at once.
MAX_YEARS = 30
WIDTH = 960
LABEL_WIDTH = 330
RIGHT_MARGIN = 16
TOP = 44
ROW = 24
GROUP_ROW = 28
BAR_HEIGHT = 12
GRID = "#d5dce2"
TODAY = "#a3161b"
#: Bar colours per status (≥ 3:1 against white); the status is also written in the table.
STATUS_COLOURS = {
    MeasureStatus.IDEA: "#6b7782",
    MeasureStatus.PLANNED: "#2f7f9f",
    MeasureStatus.IN_PROGRESS: "#0b5a7a",
    MeasureStatus.DONE: "#1c6b34",
    MeasureStatus.PAUSED: "#8a4b08",
    MeasureStatus.DROPPED: "#6b7782",
}
PALE = "#e6f1f5"


@dataclass
class TimelineMilestone:
    title: str
    due_date: datetime.date
    done_on: datetime.date | None

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass
class TimelineMeasure:
    id: int
    number: str
    title: str
    field_title: str
    start: datetime.date | None
    end: datetime.date | None
    status: str
    status_label: str
    progress: int
    milestones: list[TimelineMilestone] = field(default_factory=list)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    @property
    def first(self) -> datetime.date | None:
        return self.start or self.end

    @property
    def last(self) -> datetime.date | None:
        return self.end or self.start


@dataclass
class TimelineGroup:
    number: str
    title: str
    measures: list[TimelineMeasure]


@dataclass
class Timeline:
    year_from: int
    year_to: int
    today: datetime.date
    groups: list[TimelineGroup]
    undated: list[TimelineMeasure]
    outside: int  # dated measures outside the year range
    years: list[int]  # the years offered in the range form

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year_from, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year_to, 12, 31)

    @property
    def rows(self) -> list[TimelineMeasure]:
        return [measure for group in self.groups for measure in group.measures]

    @property
    def count(self) -> int:
        return len(self.rows)


# --- Data ----------------------------------------------------------------------------------------------------------


def live_document(*, plan) -> dict:
    """The fields of action of ``plan`` with their numbered measures and milestones (three queries).

    Numbered as everywhere else (``selectors.number_plan``): field ``F``, measure ``F.2.m``.
    """
    from .selectors import fields_of_action, number_plan

    fields = list(fields_of_action(plan).only("id", "title", "priority"))
    measures = list(
        Measure.objects.filter(plan=plan)
        .only("id", "title", "field_of_action_id", "start_date", "end_date", "status", "progress", "position")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.only("id", "measure_id", "title", "due_date", "done_on").order_by(
                    "due_date", "id"
                ),
            )
        )
        .order_by("position", "id")
    )
    numbering = number_plan([f.pk for f in fields], [], [(m.pk, m.field_of_action_id) for m in measures])
    entries = {
        foa.pk: {"id": foa.pk, "number": numbering.fields[foa.pk], "title": foa.title, "measures": []} for foa in fields
    }
    for measure in measures:
        entry = entries.get(measure.field_of_action_id)
        if entry is None:
            continue
        entry["measures"].append(
            {
                "id": measure.pk,
                "number": numbering.measures.get(measure.pk, ""),
                "title": measure.title,
                "start_date": measure.start_date,
                "end_date": measure.end_date,
                "status": measure.status,
                "status_label": measure.get_status_display(),
                "progress": measure.progress,
                "milestones": [
                    {"title": m.title, "due_date": m.due_date, "done_on": m.done_on} for m in measure.milestones.all()
                ],
            }
        )
    return {"fields_of_action": list(entries.values())}


def _status_label(code: str) -> str:
    try:
        return str(MeasureStatus(code).label)
    except ValueError:
        return code


def _measures(document: dict) -> list[tuple[dict, TimelineMeasure]]:
    found = []
    for entry in document.get("fields_of_action", []):
        for item in entry.get("measures", []):
            found.append(
                (
                    entry,
                    TimelineMeasure(
                        id=item.get("id"),
                        number=str(item.get("number", "")),
                        title=item.get("title", ""),
                        field_title=entry.get("title", ""),
                        start=item.get("start_date"),
                        end=item.get("end_date"),
                        status=item.get("status", ""),
                        status_label=item.get("status_label") or _status_label(item.get("status", "")),
                        progress=int(item.get("progress") or 0),
                        milestones=[
                            TimelineMilestone(m["title"], m["due_date"], m.get("done_on"))
                            for m in item.get("milestones", [])
                            if m.get("due_date")
                        ],
                    ),
                )
            )
    return found


def default_years(document: dict, today: datetime.date) -> tuple[int, int]:
    """The years from the earliest start to the latest end of the measures (this year … +4 without dates)."""
    years = [
        day.year
        for _entry, measure in _measures(document)
        for day in (measure.start, measure.end, *(m.due_date for m in measure.milestones))
        if day
    ]
    if not years:
        return today.year, today.year + 4
    low, high = min(years), max(years)
    return low, min(high, low + MAX_YEARS - 1)


def parse_years(data, document: dict, today: datetime.date) -> tuple[int, int]:
    """The year range asked for in ``data`` (``von``/``bis``), else the default; swapped and capped if needed."""
    default_from, default_to = default_years(document, today)

    def year(name, default):
        try:
            value = int(data.get(name, ""))
        except (TypeError, ValueError):
            return default
        return value if 1900 <= value <= 2200 else default

    year_from, year_to = year("von", default_from), year("bis", default_to)
    if year_from > year_to:
        year_from, year_to = year_to, year_from
    return year_from, min(year_to, year_from + MAX_YEARS - 1)


def build_timeline(document: dict, *, today: datetime.date, year_from: int, year_to: int) -> Timeline:
    """The measures of ``document`` that touch the years ``year_from``…``year_to``, grouped by field of action."""
    start, end = datetime.date(year_from, 1, 1), datetime.date(year_to, 12, 31)
    groups: dict[str, TimelineGroup] = {}
    undated, outside = [], 0
    all_years = {today.year}
    for entry, measure in _measures(document):
        if not measure.dated:
            undated.append(measure)
            continue
        all_years.update({measure.first.year, measure.last.year})
        if measure.last < start or measure.first > end:
            outside += 1
            continue
        number = str(entry.get("number", ""))
        if number not in groups:
            groups[number] = TimelineGroup(number, entry.get("title", ""), [])
        groups[number].measures.append(measure)
    low, high = min(all_years | {year_from}), max(all_years | {year_to})
    return Timeline(
        year_from=year_from,
        year_to=year_to,
        today=today,
        groups=list(groups.values()),
        undated=undated,
        outside=outside,
        years=list(range(low - 1, high + 6)),
    )


def paginate(timeline: Timeline, rows_per_page: int = 30) -> list[Timeline]:
    """``timeline`` split into parts of at most ``rows_per_page`` measures (one chart per printed page)."""
    parts: list[Timeline] = []
    groups: list[TimelineGroup] = []
    count = 0
    for group in timeline.groups:
        measures = list(group.measures)
        while measures:
            room = rows_per_page - count
            groups.append(TimelineGroup(group.number, group.title, measures[:room]))
            measures, count = measures[room:], count + len(measures[:room])
            if count >= rows_per_page:
                parts.append(replace(timeline, groups=groups))
                groups, count = [], 0
    if groups or not parts:
        parts.append(replace(timeline, groups=groups))
    return parts


# --- SVG -----------------------------------------------------------------------------------------------------------


def _short(text: str, limit: int = 44) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _diamond(x: float, y: float, size: float, *, filled: bool, colour: str) -> str:
    points = f"{x:.1f},{y - size:.1f} {x + size:.1f},{y:.1f} {x:.1f},{y + size:.1f} {x - size:.1f},{y:.1f}"
    return f"<polygon {_attrs(points=points, fill=colour if filled else '#ffffff', stroke=colour, stroke_width=2)}/>"


def timeline_svg(timeline: Timeline, *, chart_id: str = "timeline", title: str = "") -> SafeString:
    """The Gantt chart of ``timeline`` as accessible SVG markup (escaped, marked safe)."""
    rows = timeline.rows
    height = TOP + len(timeline.groups) * GROUP_ROW + len(rows) * ROW + 20
    x0, x1 = LABEL_WIDTH, WIDTH - RIGHT_MARGIN
    total_days = (timeline.end - timeline.start).days + 1

    def x_of(day: datetime.date) -> float:
        offset = (min(max(day, timeline.start), timeline.end) - timeline.start).days
        return x0 + (x1 - x0) * offset / total_days

    title = title or _("Timeline of the measures %(from)s–%(to)s") % {
        "from": timeline.year_from,
        "to": timeline.year_to,
    }
    milestones = sum(len(m.milestones) for m in rows)
    desc = " ".join(
        [
            ngettext(
                "%(count)d measure as a bar from its start to its end, grouped by field of action.",
                "%(count)d measures as bars from their start to their end, grouped by field of action.",
                len(rows),
            )
            % {"count": len(rows)},
            ngettext(
                "%(count)d milestone as a diamond (filled: reached).",
                "%(count)d milestones as diamonds (filled: reached).",
                milestones,
            )
            % {"count": milestones},
            _("A dashed line marks today (%(date)s).") % {"date": date_format(timeline.today, "SHORT_DATE_FORMAT")}
            if timeline.start <= timeline.today <= timeline.end
            else "",
            _("The table below the chart lists the same measures with their dates."),
        ]
    ).replace("  ", " ")
    parts = _open_svg(chart_id, WIDTH, height, title, desc.strip())
    bottom = height - 20
    # year grid and labels
    for year in range(timeline.year_from, timeline.year_to + 2):
        day = datetime.date(year, 1, 1)
        x = x0 + (x1 - x0) * (day - timeline.start).days / total_days
        parts.append(f"<line {_attrs(x1=x, y1=TOP - 8, x2=x, y2=bottom, stroke=GRID, stroke_width=1)}/>")
        if year <= timeline.year_to:
            next_x = x0 + (x1 - x0) * (datetime.date(year + 1, 1, 1) - timeline.start).days / total_days
            parts.append(_text((x + next_x) / 2, TOP - 16, str(year), size=SMALL_FONT_SIZE, anchor="middle"))
    y = TOP
    for group in timeline.groups:
        parts.append(_text(8, y + 19, _short(f"{group.number} {group.title}", 70), weight="700"))
        y += GROUP_ROW
        for measure in group.measures:
            centre = y + ROW / 2
            parts.append(
                _text(16, centre + 4, _short(f"{measure.number} {measure.title}"), size=SMALL_FONT_SIZE, fill=TEXT)
            )
            colour = STATUS_COLOURS.get(measure.status, MUTED)
            left, right = x_of(measure.first), x_of(measure.last + datetime.timedelta(days=1))
            width = max(right - left, 3)
            bar_y = centre - BAR_HEIGHT / 2
            dash = "4 3" if measure.status in (MeasureStatus.IDEA, MeasureStatus.DROPPED) else None
            parts.append(
                f"<rect {_attrs(x=left, y=bar_y, width=width, height=BAR_HEIGHT, fill=PALE, stroke=colour)} "
                f"{_attrs(stroke_width=1.5, stroke_dasharray=dash, rx=2)}/>"
            )
            if measure.progress:
                done = width * min(measure.progress, 100) / 100
                parts.append(f"<rect {_attrs(x=left, y=bar_y, width=done, height=BAR_HEIGHT, fill=colour, rx=2)}/>")
            for milestone in measure.milestones:
                if timeline.start <= milestone.due_date <= timeline.end:
                    parts.append(_diamond(x_of(milestone.due_date), centre, 6, filled=milestone.done, colour=TEXT))
            y += ROW
    if timeline.start <= timeline.today <= timeline.end:
        x = x_of(timeline.today)
        parts.append(
            f"<line {_attrs(x1=x, y1=TOP - 6, x2=x, y2=bottom, stroke=TODAY, stroke_width=2, stroke_dasharray='6 4')}/>"
        )
        parts.append(_text(x + 4, bottom + 14, _("Today"), size=SMALL_FONT_SIZE, fill=TODAY, weight="700"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped by _text/_attrs


def legend() -> list[tuple[str, Any]]:
    """Explanations of the chart's symbols for the page (shown as a list next to the chart)."""
    return [
        ("bar", _("Bar: from the start to the end of a measure; the filled part shows the progress.")),
        ("dashed", _("Dashed outline: idea or dropped.")),
        ("milestone", _("Diamond: milestone (filled: reached, outlined: open).")),
        ("today", _("Dashed vertical line: today.")),
    ]
