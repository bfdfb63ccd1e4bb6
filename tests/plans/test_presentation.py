"""The pre-formatted display rows of the measures table and the document print what the template filters printed."""

import datetime
from decimal import Decimal

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats, translation

from daks.plans import presentation
from daks.plans.models import Measure

from .factories import FieldOfActionFactory, MeasureFactory


@pytest.mark.parametrize("language", ["de", "en"])
def test_formatter_prints_like_the_template_filters(language):
    with translation.override(language):
        fmt = presentation.Formatter()
        for value in ("0", "0.49", "0.5", "999.5", "1000", "1234567.50", "12345678901.99"):
            assert fmt.amount(Decimal(value)) == str(floatformat(Decimal(value), "0g")), value
        for value in (0, 7, 100, 1000, 1234567):
            assert fmt.integer(value) == formats.localize(value)
        day = datetime.date(2026, 3, 9)
        assert fmt.date(day) == date_filter(day, "SHORT_DATE_FORMAT")
        assert fmt.period(day, None) == f"{date_filter(day, 'SHORT_DATE_FORMAT')} – …"
        assert fmt.period(None, None) == "" and fmt.budget(Decimal("0"), Decimal("0"), Decimal("0")) == ""


def test_url_maker_builds_the_reversed_urls(process):
    kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "werkstattplan"}
    url = presentation.url_maker("plans:measure_detail", kwargs, "measure_pk")
    for pk in (1, 42, 123456):
        assert url(pk) == reverse("plans:measure_detail", kwargs={**kwargs, "measure_pk": pk})


def test_texts_are_escaped_once(coordinator, login, plan_url, plan):
    field = FieldOfActionFactory(process=plan.process, title="Wohnen & <Leben>", priority=1)
    MeasureFactory(plan=plan, field_of_action=field, title='<script>alert("x")</script>', responsible_unit="A & B")
    client = login(coordinator)
    for name in ("plans:measures", "plans:document"):
        content = client.get(plan_url(name)).content.decode()
        assert "<script>alert" not in content
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
        assert "A &amp; B" in content and "&amp;amp;" not in content


def test_ids_in_attributes_are_not_localised(coordinator, login, plan_url, plan):
    """With thousands separators on, ``{{ pk }}`` printed 1.234 — the document's anchors and focus keys need 1234."""
    field = FieldOfActionFactory(process=plan.process, priority=1)
    first = MeasureFactory(plan=plan, field_of_action=field, position=1)
    Measure.objects.filter(pk=first.pk).update(id=1234)
    MeasureFactory(plan=plan, field_of_action=field, position=2)
    content = login(coordinator).get(plan_url("plans:document")).content.decode()
    assert 'id="measure-1234"' in content and 'data-key="measure-down-1234"' in content
