"""SVG charts of the monitoring dashboard (pure functions returning escaped markup, no JavaScript).

Built like ``daks.demography.charts``: ``role="img"`` with ``<title>`` and ``<desc>``, every figure written next to
its bar, and the page shows the same figures in a data table. Planned and secured funds differ by fill (outlined
vs. solid) as well as colour.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from daks.demography.charts import AXIS, GRID, MUTED, SMALL_FONT_SIZE, _attrs, _open_svg, _text, nice_range

from .monitoring import FieldBudget, StatusCount, euro
from .timeline import STATUS_COLOURS

WIDTH = 720
LABEL_WIDTH = 230
VALUE_WIDTH = 130
BAR = 18
PLANNED = "#2f7f9f"
SECURED = "#1c6b34"


def _short(text: str, limit: int = 32) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def status_chart_svg(statuses: list[StatusCount], *, chart_id: str = "status-chart") -> SafeString:
    """Horizontal bars: the number of measures per status."""
    row = BAR + 12
    top = 10
    height = top + row * len(statuses) + 28
    x0, x1 = LABEL_WIDTH, WIDTH - 60
    _low, axis_max, step = nice_range(0, max([s.count for s in statuses] + [1]))
    total = sum(s.count for s in statuses)
    desc = "; ".join(f"{s.label}: {s.count}" for s in statuses)
    parts = _open_svg(chart_id, WIDTH, height, _("Measures by status (%(total)d in total)") % {"total": total}, desc)
    tick = 0.0
    bottom = top + row * len(statuses)
    while tick <= axis_max + 1e-9:
        x = x0 + (x1 - x0) * tick / axis_max
        parts.append(f"<line {_attrs(x1=x, y1=top, x2=x, y2=bottom, stroke=GRID, stroke_width=1)}/>")
        parts.append(_text(x, bottom + 18, f"{tick:g}", size=SMALL_FONT_SIZE, anchor="middle", fill=MUTED))
        tick += step
    for index, status in enumerate(statuses):
        y = top + index * row + 6
        parts.append(_text(x0 - 10, y + BAR - 4, str(status.label), anchor="end"))
        width = (x1 - x0) * status.count / axis_max
        colour = STATUS_COLOURS.get(status.status, MUTED)
        if width:
            parts.append(f"<rect {_attrs(x=x0, y=y, width=width, height=BAR, fill=colour)}/>")
        parts.append(_text(x0 + width + 6, y + BAR - 4, str(status.count), weight="700"))
    parts.append(f"<line {_attrs(x1=x0, y1=top, x2=x0, y2=bottom, stroke=AXIS)}/>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - texts escaped by _text/_attrs


def budget_chart_svg(budgets: list[FieldBudget], *, chart_id: str = "budget-chart") -> SafeString:
    """Per field of action two bars: planned funds (outlined) and the secured part (solid)."""
    group = 2 * BAR + 18
    top = 34
    height = top + group * max(len(budgets), 1) + 10
    x0, x1 = LABEL_WIDTH, WIDTH - VALUE_WIDTH
    axis_max = float(max([b.planned for b in budgets] + [b.secured for b in budgets] + [1]))
    desc = "; ".join(
        _("%(field)s: planned %(planned)s, secured %(secured)s")
        % {"field": b.title, "planned": b.planned_display, "secured": b.secured_display}
        for b in budgets
    ) or _("No budget planned yet.")
    parts = _open_svg(chart_id, WIDTH, height, _("Budget planned and secured per field of action"), desc)
    # legend: outlined = planned, solid = secured
    parts.append(f"<rect {_attrs(x=x0, y=8, width=14, height=12, fill='#ffffff', stroke=PLANNED, stroke_width=2)}/>")
    parts.append(_text(x0 + 20, 19, _("planned"), size=SMALL_FONT_SIZE))
    parts.append(f"<rect {_attrs(x=x0 + 110, y=8, width=14, height=12, fill=SECURED)}/>")
    parts.append(_text(x0 + 130, 19, _("secured"), size=SMALL_FONT_SIZE))
    for index, budget in enumerate(budgets):
        y = top + index * group
        parts.append(_text(x0 - 10, y + BAR + 4, _short(budget.title), anchor="end"))
        planned = (x1 - x0) * float(budget.planned) / axis_max
        secured = (x1 - x0) * float(budget.secured) / axis_max
        parts.append(
            f"<rect {_attrs(x=x0, y=y, width=max(planned, 1), height=BAR, fill='#ffffff', stroke=PLANNED)} "
            f"{_attrs(stroke_width=2)}/>"
        )
        parts.append(_text(x0 + planned + 6, y + BAR - 4, budget.planned_display, size=SMALL_FONT_SIZE))
        if secured:
            parts.append(f"<rect {_attrs(x=x0, y=y + BAR + 2, width=secured, height=BAR, fill=SECURED)}/>")
        parts.append(_text(x0 + secured + 6, y + 2 * BAR - 2, budget.secured_display, size=SMALL_FONT_SIZE))
    parts.append(f"<line {_attrs(x1=x0, y1=top - 4, x2=x0, y2=height - 10, stroke=AXIS)}/>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - texts escaped by _text/_attrs


__all__ = ["budget_chart_svg", "euro", "status_chart_svg"]
