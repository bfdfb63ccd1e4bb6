"""Publishing: rules per role, verified Kommunen only, public page and open data show only the published version."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import translation

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.plans import publishing, versions
from daks.plans.models import Plan

from .factories import FieldOfActionFactory, GoalFactory, MeasureFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(plan, coordinator):
    field = FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1)
    goal = GoalFactory(plan=plan, field_of_action=field, title="Mehr Wohnungen", indicator_name="Wohnungen")
    measure = MeasureFactory(
        plan=plan, field_of_action=field, title="Wohnberatung", responsible_person=coordinator, goals=[goal],
        responsible_unit="Sozialamt",
    )  # fmt: skip
    MilestoneFactory(measure=measure, title="Konzept", due_date=datetime.date(2026, 9, 30))
    return versions.version_create(plan=plan, actor=coordinator, name="Beschluss Stadtrat 03/2026",
                                   date=datetime.date(2026, 3, 12))  # fmt: skip


def _public(plan, name="plan"):
    return reverse(f"plans_public:{name}", args=[plan.municipality.slug, plan.process_id])


def test_coordination_publishes_and_unpublishes(plan, coordinator, version):
    publishing.plan_publish(plan=plan, user=coordinator, version=version)
    plan.refresh_from_db()
    assert plan.published_version == version and plan.published_at is not None
    entry = AuditLogEntry.objects.get(action="plans.plan.published")
    assert entry.data["process"] == plan.process_id and entry.data["version"] == version.pk
    publishing.plan_unpublish(plan=plan, user=coordinator)
    plan.refresh_from_db()
    assert plan.published_version is None and plan.published_at is None
    assert AuditLogEntry.objects.filter(action="plans.plan.unpublished").exists()


@pytest.mark.parametrize("role", ["contributor", "reader", "advisor"])
def test_only_coordination_may_publish(request, plan, version, role):
    with pytest.raises(DomainError):
        publishing.plan_publish(plan=plan, user=request.getfixturevalue(role), version=version)
    plan.refresh_from_db()
    assert plan.published_version is None


def test_unverified_kommune_gets_a_message(plan, coordinator, version, municipality):
    municipality.verified_at = None
    municipality.save()
    with translation.override("en"), pytest.raises(DomainError, match="Only verified municipalities"):
        publishing.plan_publish(plan=plan, user=coordinator, version=version)
    plan.refresh_from_db()
    assert plan.published_version is None


def test_version_of_another_plan_is_refused(plan, coordinator, other_plan, outsider):
    foreign = versions.version_create(plan=other_plan, actor=outsider, name="X", date=datetime.date(2026, 1, 1))
    with pytest.raises(DomainError):
        publishing.plan_publish(plan=plan, user=coordinator, version=foreign)


def test_unpublish_when_not_published(plan, coordinator):
    with pytest.raises(DomainError):
        publishing.plan_unpublish(plan=plan, user=coordinator)


# --- Views of the team ------------------------------------------------------------------------------------------


def test_publish_through_the_page(login, coordinator, plan, version, plan_url):
    client = login(coordinator)
    assert client.get(plan_url("plans:publishing")).status_code == 200
    response = client.post(plan_url("plans:publishing"), {"version": version.pk, "confirm": "on"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.published_version == version
    page = client.get(plan_url("plans:publishing")).content.decode()
    assert _public(plan) in page
    assert client.post(plan_url("plans:unpublish")).status_code == 302
    plan.refresh_from_db()
    assert plan.published_version is None


def test_publish_needs_confirmation(login, coordinator, plan, version, plan_url):
    response = login(coordinator).post(plan_url("plans:publishing"), {"version": version.pk})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.published_version is None


def test_unverified_page_shows_the_message(login, coordinator, plan, version, plan_url, municipality):
    municipality.verified_at = None
    municipality.save()
    response = login(coordinator).get(plan_url("plans:publishing"), HTTP_ACCEPT_LANGUAGE="en")
    assert "verified" in response.content.decode() or "verifiziert" in response.content.decode()


@pytest.mark.parametrize("role", ["contributor", "reader", "advisor"])
def test_other_roles_cannot_publish(request, login, plan, version, plan_url, role):
    client = login(request.getfixturevalue(role))
    assert client.get(plan_url("plans:publishing")).status_code == 200  # they may see the state
    assert client.post(plan_url("plans:publishing"), {"version": version.pk, "confirm": "on"}).status_code == 403
    assert client.post(plan_url("plans:unpublish")).status_code == 403
    plan.refresh_from_db()
    assert plan.published_version is None


def test_outsider_gets_404(login, outsider, plan, version, plan_url):
    client = login(outsider)
    assert client.get(plan_url("plans:publishing")).status_code == 404
    assert client.post(plan_url("plans:publishing"), {"version": version.pk, "confirm": "on"}).status_code == 404


# --- Public page and open data ----------------------------------------------------------------------------------


def test_public_page_is_404_until_published(client, plan, version):
    assert client.get(_public(plan)).status_code == 404
    assert client.get(_public(plan, "data")).status_code == 404


def test_public_page_shows_only_the_published_version(client, plan, coordinator, version):
    publishing.plan_publish(plan=plan, user=coordinator, version=version)
    measure = plan.measures.get()
    measure.title = "Geänderter Entwurf"
    measure.save()
    MeasureFactory(plan=plan, field_of_action=measure.field_of_action, title="Neue Entwurfsmaßnahme")
    response = client.get(_public(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wohnberatung" in html and "Beschluss Stadtrat 03/2026" in html
    assert "Geänderter Entwurf" not in html and "Neue Entwurfsmaßnahme" not in html
    assert coordinator.email not in html  # no personal data of the team
    assert 'role="img"' in html  # timeline
    data = json.loads(client.get(_public(plan, "data")).content)
    titles = [m["title"] for entry in data["fields_of_action"] for m in entry["measures"]]
    assert titles == ["Wohnberatung"]


def test_open_data_has_stable_keys_and_a_licence(client, plan, coordinator, version):
    publishing.plan_publish(plan=plan, user=coordinator, version=version)
    response = client.get(_public(plan, "data"))
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["schema"] == "daks.plan/1"
    assert set(data) == {
        "schema", "municipality", "process", "version", "published_at", "page", "licence", "vision",
        "introduction", "fields_of_action",
    }  # fmt: skip
    assert data["licence"]["id"] == "dl-de/by-2-0" and "Musterstadt" in data["licence"]["attribution"]
    assert data["version"] == {"name": "Beschluss Stadtrat 03/2026", "date": "2026-03-12"}
    measure = data["fields_of_action"][0]["measures"][0]
    assert set(measure) == {
        "number", "title", "description", "responsible_unit", "partners", "target_groups", "start_date", "end_date",
        "status", "progress_percent", "priority", "budget_eur", "funding_programme", "goals", "milestones",
    }  # fmt: skip
    assert measure["budget_eur"]["own_funds"] == 1000
    assert measure["milestones"] == [{"title": "Konzept", "due_date": "2026-09-30", "reached_on": None}]
    assert coordinator.email not in response.content.decode()


def test_public_page_gone_after_unpublishing_or_losing_verification(client, plan, coordinator, version, municipality):
    publishing.plan_publish(plan=plan, user=coordinator, version=version)
    assert client.get(_public(plan)).status_code == 200
    municipality.verified_at = None
    municipality.save()
    assert client.get(_public(plan)).status_code == 404
    assert client.get(_public(plan, "data")).status_code == 404


def test_public_page_of_another_kommunes_slug_is_404(client, plan, coordinator, version, other_municipality):
    publishing.plan_publish(plan=plan, user=coordinator, version=version)
    url = reverse("plans_public:plan", args=[other_municipality.slug, plan.process_id])
    assert client.get(url).status_code == 404
    assert Plan.objects.filter(published_version=version).count() == 1
