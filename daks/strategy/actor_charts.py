"""The stakeholder matrix (influence × interest) as an accessible server-side SVG.

Built with the helpers and style of ``daks.demography.charts``: ``role="img"`` with ``<title>`` and ``<desc>``,
every text escaped, no inline styles or scripts. Each actor is a numbered point with its own ``<title>``;
actors in the same cell are stacked in a small grid. Kind is shown by shape (circle: organisation, square:
person), never by colour alone. The page shows the same data as a table below the chart.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from daks.demography.charts import AXIS, BAND, GRID, MUTED, SMALL_FONT_SIZE, _attrs, _num, _open_svg, _text

from .actor_selectors import quadrant
from .models import ActorKind

CELL = 96
LEFT, TOP = 88, 24
COLUMNS, ROWS = 4, 3  # points per cell before "+n"
POINT_RADIUS = 9
QUADRANT_FILLS = {"manage": "#e6f0f4", "satisfy": "#f6efe4", "inform": "#e9f3ea", "monitor": "#f2f2f4"}


def quadrant_labels() -> dict[str, str]:
    return {
        "manage": _("Manage closely"),
        "satisfy": _("Keep satisfied"),
        "inform": _("Keep informed"),
        "monitor": _("Monitor"),
    }


def _point(number: int, actor, x: float, y: float) -> str:
    label = _("%(number)s: %(name)s (influence %(influence)s, interest %(interest)s)") % {
        "number": number,
        "name": actor.name,
        "influence": actor.influence,
        "interest": actor.interest,
    }
    if actor.kind == ActorKind.PERSON:
        r = POINT_RADIUS - 0.5
        shape = f"<rect {_attrs(x=x - r, y=y - r, width=2 * r, height=2 * r, fill=BAND)}/>"
    else:
        shape = f"<circle {_attrs(cx=x, cy=y, r=POINT_RADIUS, fill=BAND)}/>"
    text = f"<text {_attrs(x=x, y=y + 4, font_size=11, text_anchor='middle', fill='#ffffff')}>{number}</text>"
    return f'<g class="matrix__point"><title>{escape(label)}</title>{shape}{text}</g>'


def matrix_svg(actors: Sequence, *, title: str, chart_id: str = "stakeholder-matrix") -> SafeString:
    """``actors`` in table order; point numbers are their 1-based positions."""
    plot = 5 * CELL
    width, height = LEFT + plot + 24, TOP + plot + 92
    labels = quadrant_labels()
    counts = defaultdict(int)
    for actor in actors:
        counts[quadrant(actor)] += 1
    desc = _(
        "Influence (vertical, 1 to 5) against interest (horizontal, 1 to 5) of %(count)s actors; scores from 3 "
        "count as high. The numbers of the points refer to the table below. %(quadrants)s"
    ) % {
        "count": len(actors),
        "quadrants": "; ".join(
            f"{labels[code]}: {counts[code]}" for code in ("manage", "satisfy", "inform", "monitor")
        ),
    }
    parts = _open_svg(chart_id, width, height, title, desc)

    def x_of(score: float) -> float:
        return LEFT + (score - 1) * CELL

    def y_of(score: float) -> float:  # top edge of the cell row of ``score`` (5 at the top)
        return TOP + (5 - score) * CELL

    # quadrants (low = scores 1–2, high = 3–5)
    split_x, split_y = x_of(3), y_of(2)
    for code, (x1, y1, x2, y2) in {
        "manage": (split_x, TOP, LEFT + plot, split_y),
        "satisfy": (LEFT, TOP, split_x, split_y),
        "inform": (split_x, split_y, LEFT + plot, TOP + plot),
        "monitor": (LEFT, split_y, split_x, TOP + plot),
    }.items():
        parts.append(f"<rect {_attrs(x=x1, y=y1, width=x2 - x1, height=y2 - y1, fill=QUADRANT_FILLS[code])}/>")
        parts.append(_text(x1 + 6, y1 + 16, labels[code], size=SMALL_FONT_SIZE, weight="700"))
    for i in range(6):
        parts.append(f"<line {_attrs(x1=x_of(1 + i), y1=TOP, x2=x_of(1 + i), y2=TOP + plot, stroke=GRID)}/>")
        parts.append(f"<line {_attrs(x1=LEFT, y1=TOP + i * CELL, x2=LEFT + plot, y2=TOP + i * CELL, stroke=GRID)}/>")
    parts.append(f"<line {_attrs(x1=split_x, y1=TOP, x2=split_x, y2=TOP + plot, stroke=AXIS, stroke_width=2)}/>")
    parts.append(f"<line {_attrs(x1=LEFT, y1=split_y, x2=LEFT + plot, y2=split_y, stroke=AXIS, stroke_width=2)}/>")

    # axes
    for score in range(1, 6):
        parts.append(_text(x_of(score) + CELL / 2, TOP + plot + 18, str(score), size=SMALL_FONT_SIZE, anchor="middle"))
        parts.append(_text(LEFT - 10, y_of(score) + CELL / 2 + 4, str(score), size=SMALL_FONT_SIZE, anchor="end"))
    parts.append(_text(LEFT + plot / 2, TOP + plot + 38, _("Interest"), anchor="middle", weight="700"))
    cx, cy = 24, TOP + plot / 2
    rotate = f"rotate(-90 {_num(cx)} {_num(cy)})"
    attributes = _attrs(x=cx, y=cy, font_size=13, text_anchor="middle", font_weight="700", transform=rotate)
    parts.append(f"<text {attributes}>{escape(_('Influence'))}</text>")

    # points, stacked per cell
    cells: dict[tuple[int, int], list[tuple[int, object]]] = defaultdict(list)
    for number, actor in enumerate(actors, start=1):
        cells[(actor.influence, actor.interest)].append((number, actor))
    capacity = COLUMNS * ROWS
    for (influence, interest), members in cells.items():
        left, top = x_of(interest), y_of(influence) + 24
        shown = members if len(members) <= capacity else members[: capacity - 1]
        for index, (number, actor) in enumerate(shown):
            column, row = index % COLUMNS, index // COLUMNS
            parts.append(_point(number, actor, left + 15 + column * 22, top + 12 + row * 22))
        if len(shown) < len(members):
            rest = len(members) - len(shown)
            index = len(shown)
            x, y = left + 15 + (index % COLUMNS) * 22, top + 12 + (index // COLUMNS) * 22
            hidden = ", ".join(str(number) for number, _actor in members[len(shown) :])
            more = _("%(count)s more: %(numbers)s") % {"count": rest, "numbers": hidden}
            parts.append(
                f"<g><title>{escape(more)}</title>"
                f"{_text(x, y + 4, f'+{rest}', size=SMALL_FONT_SIZE, anchor='middle', weight='700')}</g>"
            )

    # legend
    y = TOP + plot + 66
    parts.append(f"<circle {_attrs(cx=LEFT + 8, cy=y - 4, r=7, fill=BAND)}/>")
    parts.append(_text(LEFT + 22, y, _("Organisation")))
    parts.append(f"<rect {_attrs(x=LEFT + 140, y=y - 11, width=14, height=14, fill=BAND)}/>")
    parts.append(_text(LEFT + 162, y, _("Person")))
    parts.append(_text(LEFT + 250, y, _("Numbers: see the table below"), size=SMALL_FONT_SIZE, fill=MUTED))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
