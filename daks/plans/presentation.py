"""Display rows of the measures table and the plan document: every text formatted once, in Python.

A plan has hundreds of measures. Per measure the pages used ``{% url %}``, ``{% include %}``, ``{% blocktranslate %}``
and date/number filters; with 300 measures that was most of the request time. Here the same texts are built with
the same translations (the templates' msgids) and Django's localisation, dates and amounts memoised per request, URLs
from one ``reverse`` per URL name, texts escaped once (``escaped``) — so the templates only print strings from dicts.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import MeasureStatus

_ONE = Decimal("1")
#: A pk that never occurs in a real URL: ``reverse`` with it, then split the URL there.
_MARKER = 2147483646


def escaped(item: dict) -> dict:
    """Escape every text of ``item`` once, as Django's ``escape`` does, and mark it safe.

    The template then prints it as it is: with hundreds of rows, Django's escaping per printed variable is a good part
    of the rendering time. Everything a display dict holds goes through here (or is a bool/number, or HTML built from
    escaped texts, e.g. ``_facts``).
    """
    for key, value in item.items():
        if isinstance(value, str) and not isinstance(value, SafeString):
            item[key] = SafeString(html.escape(value))
    return item


def url_maker(name: str, kwargs: dict, key: str) -> Callable[[int], str]:
    """``pk → reverse(name, kwargs={**kwargs, key: pk})`` with one ``reverse`` for all pks."""
    url = reverse(name, kwargs={**kwargs, key: _MARKER})
    marker = str(_MARKER)
    if url.count(marker) != 1:  # pragma: no cover – only if another kwarg happens to be the marker
        return lambda pk: reverse(name, kwargs={**kwargs, key: pk})
    head, tail = url.split(marker)
    return lambda pk: f"{head}{pk}{tail}"


class Formatter:
    """Dates, amounts and labels in the active language, each distinct value formatted once."""

    def __init__(self):
        self._dates: dict[datetime.date, str] = {}
        self._amounts: dict[Decimal, str] = {}
        self._integers: dict[int, str] = {}
        self._open: dict[tuple[int, int], str] = {}
        self._budget_text: str | None = None
        self.statuses = {value: str(label) for value, label in MeasureStatus.choices}
        # Groups of three (de, en): Python's own grouping with the locale's separator, else Django's filter.
        grouping = formats.get_format("NUMBER_GROUPING")
        self._separator = formats.get_format("THOUSAND_SEPARATOR") if grouping == 3 else None
        self._labels: dict[str, str] | None = None

    @property
    def labels(self) -> dict[str, str]:
        """The labels of a measure's facts in the document, translated and escaped once."""
        if self._labels is None:
            labels = {
                "status": _("Status"),
                "overdue": _("overdue"),
                "responsible": _("Responsible"),
                "period": _("Period"),
                "not_scheduled": _("not scheduled"),
                "budget": _("Budget"),
                "no_budget": _("no budget"),
                "programme": _("Funding programme"),
                "goals": _("Serves goals"),
                "partners": _("Partners"),
                "target_groups": _("Target groups"),
                "milestones": _("Milestones"),
                "reached": _("reached"),
            }
            self._labels = {key: html.escape(str(label)) for key, label in labels.items()}
        return self._labels

    def date(self, value: datetime.date | None) -> str:
        """``value|date:"SHORT_DATE_FORMAT"`` ("" for None)."""
        if value is None:
            return ""
        text = self._dates.get(value)
        if text is None:
            text = self._dates[value] = formats.date_format(value, "SHORT_DATE_FORMAT")
        return text

    def integer(self, value: int) -> str:
        """``{{ value }}`` of an integer (with thousands separators if ``USE_THOUSAND_SEPARATOR``)."""
        text = self._integers.get(value)
        if text is None:
            if not settings.USE_THOUSAND_SEPARATOR:
                text = str(value)
            elif self._separator is None:
                text = formats.localize(value)
            else:
                text = f"{value:,}".replace(",", self._separator)
            self._integers[value] = text
        return text

    def open_milestones(self, still_open: int, count: int) -> str:
        """The milestone count of the table, e.g. "2 of 3 open" (the plural follows ``count``)."""
        key = (still_open, count)
        text = self._open.get(key)
        if text is None:
            text = self._open[key] = ngettext("%(open)s of %(counter)s open", "%(open)s of %(counter)s open", count) % {
                "open": self.integer(still_open),
                "counter": self.integer(count),
            }
        return text

    def amount(self, value) -> str:
        """``value|floatformat:"0g"``: whole euros (rounded half up) with thousands separators."""
        value = value or Decimal("0")
        text = self._amounts.get(value)
        if text is None:
            if self._separator is None:
                text = str(floatformat(value, "0g"))
            else:
                text = f"{int(Decimal(value).quantize(_ONE, ROUND_HALF_UP)):,}".replace(",", self._separator)
            self._amounts[value] = text
        return text

    def period(self, start: datetime.date | None, end: datetime.date | None) -> str:
        """``12.01.2026 – 31.12.2027`` (``…`` for a missing end), "" when neither is set (includes/period.html)."""
        if start is None and end is None:
            return ""
        return f"{self.date(start) if start else '…'} – {self.date(end) if end else '…'}"

    def budget(self, own, third, secured) -> str:
        """The sentence of includes/budget.html, "" when there is no budget."""
        own, third = own or Decimal("0"), third or Decimal("0")
        total = own + third
        if not total:
            return ""
        if self._budget_text is None:
            self._budget_text = _(
                "%(total)s EUR (own funds %(own)s, third-party funding %(third)s; secured %(secured)s)"
            )
        return self._budget_text % {
            "total": self.amount(total),
            "own": self.amount(own),
            "third": self.amount(third),
            "secured": self.amount(secured),
        }


# --- The measures table -------------------------------------------------------------------------------------------

#: The columns ``measure_table(...).values(*TABLE_FIELDS)`` reads for ``table_rows``.
TABLE_FIELDS = (
    "id", "title", "status", "field_of_action__title", "responsible_person_id", "responsible_person__name",
    "responsible_unit", "start_date", "end_date", "next_milestone_date", "next_milestone_title", "milestone_count",
    "milestones_open", "progress", "budget_total_sum", "overdue",
)  # fmt: skip


def table_rows(values, *, numbers: dict[int, str], detail_url: Callable[[int], str]) -> list[dict]:
    """Rows of the measures table from ``measure_table(...).values(*TABLE_FIELDS)``."""
    fmt = Formatter()
    rows = []
    for v in values:
        milestone = (
            f"{fmt.date(v['next_milestone_date'])}: {v['next_milestone_title']}" if v["next_milestone_date"] else ""
        )
        count, still_open = v["milestone_count"], v["milestones_open"]
        rows.append(
            escaped(
                {
                    "number": numbers.get(v["id"], ""),
                    "url": detail_url(v["id"]),
                    "title": v["title"],
                    "field": v["field_of_action__title"],
                    "status": fmt.statuses.get(v["status"], v["status"]),
                    "overdue": v["overdue"],
                    "has_person": v["responsible_person_id"] is not None,
                    "person": v["responsible_person__name"],
                    "unit": v["responsible_unit"],
                    "period": fmt.period(v["start_date"], v["end_date"]),
                    "milestone": milestone,
                    "milestones": fmt.open_milestones(still_open, count),
                    "progress": fmt.integer(v["progress"]),
                    "budget": fmt.amount(v["budget_total_sum"]),
                }
            )
        )
    return rows


# --- The plan document --------------------------------------------------------------------------------------------


def document_measures(measures, *, detail_url: Callable[[int], str], move_url: Callable[[int], str], fmt=None):
    """Display dicts of the measures of one chapter (the measure dicts of ``selectors.document_tree``).

    ``facts`` is the measure's ``<dl class="plan-facts">`` (status, responsible, period, budget, goals, partners,
    target groups, milestones), built here: as template nodes it was half of the document's rendering time.
    """
    fmt = fmt or Formatter()
    return [
        escaped(
            {
                "pk": str(m["id"]),  # not "1.234": ids are printed in attributes
                "number": m["number"],
                "title": m["title"],
                "url": detail_url(m["id"]),
                "move_url": move_url(m["id"]),
                "overdue": m["is_overdue"],
                "facts": _facts(m, fmt),
            }
        )
        for m in measures
    ]


def _facts(m: dict, fmt: Formatter) -> SafeString:
    """The ``<dl>`` of a measure in the document: the texts of includes/period.html, budget.html and the former
    template, every text escaped (``esc``; the labels are escaped in ``Formatter.labels``)."""
    esc, labels = html.escape, fmt.labels
    has_person, unit = m["responsible_person_id"] is not None, m["responsible_unit"]
    if has_person or unit:
        name = (m["responsible_person__name"] or "") if has_person else ""
        responsible = esc(name + (", " if has_person and unit else "") + unit)
    else:
        responsible = "–"
    status = f"{fmt.statuses.get(m['status'], m['status'])} · {fmt.integer(m['progress'])} %"
    parts = ['<dl class="plan-facts"><dt>', labels["status"], "</dt><dd>", esc(status)]
    if m["is_overdue"]:
        parts += [' <span class="badge badge--warning">', labels["overdue"], "</span>"]
    parts += ["</dd><dt>", labels["responsible"], "</dt><dd>", responsible, "</dd><dt>", labels["period"], "</dt><dd>"]
    period = fmt.period(m["start_date"], m["end_date"])
    parts += [esc(period)] if period else ['<span class="muted">', labels["not_scheduled"], "</span>"]
    parts += ["</dd><dt>", labels["budget"], "</dt><dd>"]
    budget = fmt.budget(m["budget_own"], m["budget_third_party"], m["budget_secured"])
    if budget:
        parts.append(esc(budget))
        programme, url = m["funding_programme"], m["funding_url"]
        if programme:
            parts += ["<br>", labels["programme"], ": "]
            if url:
                parts += ['<a href="', esc(url), '" rel="noopener">', esc(programme), "</a>"]
            else:
                parts.append(esc(programme))
    else:
        parts += ['<span class="muted">', labels["no_budget"], "</span>"]
    parts.append("</dd>")
    for key, texts, separator in (
        ("goals", m["goal_numbers"], ", "),
        ("partners", m["partners"], "; "),
        ("target_groups", m["target_group_labels"], ", "),
    ):
        text = separator.join(texts)
        if text:
            parts += ["<dt>", labels[key], "</dt><dd>", esc(text), "</dd>"]
    if m["milestones"]:
        parts += ["<dt>", labels["milestones"], '</dt><dd><ul class="plain-list">']
        for milestone in m["milestones"]:
            parts += ["<li>", esc(fmt.date(milestone["due_date"])), ": ", esc(milestone["title"])]
            if milestone["done_on"] is not None:
                parts += [' ✓<span class="visually-hidden"> ', labels["reached"], "</span>"]
            parts.append("</li>")
        parts.append("</ul></dd>")
    parts.append("</dl>")
    return SafeString("".join(parts))


def document_chapters(tree: list[dict], *, url_kwargs: dict) -> list[dict]:
    """``selectors.document_tree`` ready to print: chapter and goal keys, goal URLs, measure display dicts."""
    fmt = Formatter()
    detail_url = url_maker("plans:measure_detail", url_kwargs, "measure_pk")
    move_url = url_maker("plans:measure_move", url_kwargs, "measure_pk")
    goal_edit_url = url_maker("plans:goal_edit", url_kwargs, "goal_pk")
    goal_move_url = url_maker("plans:goal_move", url_kwargs, "goal_pk")
    for node in tree:
        node["key"] = str(node["field"].pk)
        for goal in node["goals"]:
            goal.key, goal.edit_url, goal.move_url = str(goal.pk), goal_edit_url(goal.pk), goal_move_url(goal.pk)
        node["measures"] = document_measures(node["measures"], detail_url=detail_url, move_url=move_url, fmt=fmt)
    return tree
