"""Timeline (Gantt): data, year range, the accessible SVG and its table equivalent; roles, tenancy, queries."""

import datetime
import re

import pytest
from django.urls import reverse

from daks.plans import timeline
from daks.plans.models import MeasureStatus

from .factories import FieldOfActionFactory, MeasureFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def dated_plan(plan):
    housing = FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1)
    care = FieldOfActionFactory(process=plan.process, title="Pflege", priority=2)
    first = MeasureFactory(
        plan=plan, field_of_action=housing, title="Wohnberatung", position=1,
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31), progress=50,
    )  # fmt: skip
    MeasureFactory(
        plan=plan, field_of_action=housing, title="Quartierstreff", position=2,
        start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2028, 6, 30), status=MeasureStatus.IDEA,
    )  # fmt: skip
    MeasureFactory(
        plan=plan, field_of_action=care, title="Pflegestützpunkt", position=1,
        start_date=datetime.date(2025, 5, 1), end_date=datetime.date(2026, 8, 31),
    )  # fmt: skip
    MeasureFactory(plan=plan, field_of_action=care, title="Ohne Termin", start_date=None, end_date=None, position=2)
    MilestoneFactory(measure=first, title="Konzept fertig", due_date=datetime.date(2026, 3, 31))
    MilestoneFactory(
        measure=first, title="Eröffnung", due_date=datetime.date(2026, 5, 1), done_on=datetime.date(2026, 5, 2)
    )
    return plan


def test_live_document_is_numbered_like_the_plan(dated_plan):
    document = timeline.live_document(plan=dated_plan)
    numbers = [(m["number"], m["title"]) for entry in document["fields_of_action"] for m in entry["measures"]]
    assert numbers == [
        ("1.2.1", "Wohnberatung"),
        ("1.2.2", "Quartierstreff"),
        ("2.2.1", "Pflegestützpunkt"),
        ("2.2.2", "Ohne Termin"),
    ]


def test_default_years_and_range_parsing(dated_plan):
    document = timeline.live_document(plan=dated_plan)
    assert timeline.default_years(document, TODAY) == (2025, 2028)
    assert timeline.parse_years({"von": "2027", "bis": "2026"}, document, TODAY) == (2026, 2027)  # swapped
    assert timeline.parse_years({"von": "abc", "bis": ""}, document, TODAY) == (2025, 2028)  # ignored
    assert timeline.parse_years({"von": "2000", "bis": "2100"}, document, TODAY) == (2000, 2029)  # capped at 30 years


def test_build_groups_by_field_and_leaves_out_what_is_outside(dated_plan):
    document = timeline.live_document(plan=dated_plan)
    chart = timeline.build_timeline(document, today=TODAY, year_from=2026, year_to=2026)
    assert [(g.title, [m.title for m in g.measures]) for g in chart.groups] == [
        ("Wohnen", ["Wohnberatung"]),
        ("Pflege", ["Pflegestützpunkt"]),
    ]
    assert chart.outside == 1
    assert [m.title for m in chart.undated] == ["Ohne Termin"]


def test_svg_is_an_accessible_image_with_a_bar_per_measure(dated_plan):
    document = timeline.live_document(plan=dated_plan)
    chart = timeline.build_timeline(document, today=TODAY, year_from=2025, year_to=2028)
    svg = str(timeline.timeline_svg(chart, chart_id="t"))
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="t-title t-desc"' in svg
    assert re.search(r"<title id=\"t-title\">[^<]*2025[^<]*2028", svg)
    assert "<desc" in svg and "3 measures" in svg.replace("Maßnahmen", "measures")
    bars = re.findall(r'<rect [^>]*height="12"', svg)
    assert len(bars) == 3 + 1  # one bar per dated measure, plus the progress part of "Wohnberatung" (50 %)
    assert svg.count("<polygon") == 2  # milestones
    assert 'stroke-dasharray="6 4"' in svg  # today


def test_paginate_keeps_every_measure(dated_plan):
    document = timeline.live_document(plan=dated_plan)
    chart = timeline.build_timeline(document, today=TODAY, year_from=2025, year_to=2028)
    parts = timeline.paginate(chart, rows_per_page=2)
    assert [m.title for part in parts for m in part.rows] == [m.title for m in chart.rows]
    assert [len(part.rows) for part in parts] == [2, 1]


def test_page_shows_chart_and_equivalent_table(login, reader, dated_plan, plan_url, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, 0))
    response = login(reader).get(plan_url("plans:timeline"), {"von": "2025", "bis": "2028"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    table = html[html.index('<table class="data-table timeline-table">') :]
    table = table[: table.index("</table>")]
    for title in ("Wohnberatung", "Quartierstreff", "Pflegestützpunkt"):
        assert title in table
    assert "Ohne Termin" not in table and "Ohne Termin" in html  # listed separately as undated
    assert "Konzept fertig" in table
    assert '<option value="2025" selected>' in html


def test_page_without_dated_measures(login, coordinator, plan, plan_url):
    response = login(coordinator).get(plan_url("plans:timeline"))
    assert response.status_code == 200
    assert 'role="img"' not in response.content.decode()


def test_tenancy(client, login, outsider, coordinator, plan, plan_url, municipality, other_plan):
    assert client.get(plan_url("plans:timeline")).status_code in (302, 404)
    assert login(outsider).get(plan_url("plans:timeline")).status_code == 404
    url = reverse("plans:timeline", args=[municipality.slug, other_plan.process_id, "werkstattplan"])
    assert login(coordinator).get(url).status_code == 404
    url = reverse("plans:timeline", args=[municipality.slug, plan.process_id, "kick-off"])
    assert login(coordinator).get(url).status_code == 404


def test_query_count_is_pinned(login, coordinator, dated_plan, plan_url, django_assert_num_queries):
    client = login(coordinator)
    url = plan_url("plans:timeline")
    client.get(url)
    with django_assert_num_queries(PINNED_QUERIES):
        assert client.get(url).status_code == 200
    field = dated_plan.process.fields_of_action.first()
    for index in range(6):
        measure = MeasureFactory(plan=dated_plan, field_of_action=field, title=f"Neu {index}")
        MilestoneFactory(measure=measure)
    with django_assert_num_queries(PINNED_QUERIES):
        assert client.get(url).status_code == 200


PINNED_QUERIES = 11
