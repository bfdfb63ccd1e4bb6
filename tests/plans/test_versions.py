"""Versions (Fassungen): snapshot, comparison, read-only view, change history of a measure; roles and tenancy."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import translation

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.plans import services, versions
from daks.plans.models import MeasureStatus, PlanVersion, Priority, TargetGroup

from .factories import ActorFactory, FieldOfActionFactory, GoalFactory, MeasureFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(plan, coordinator):
    """Two fields of action, goals and measures with every kind of value."""
    plan.vision = "Musterstadt bleibt **lebendig**."
    plan.introduction = "## Anlass\nDer demografische Wandel."
    plan.save()
    housing = FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1)
    care = FieldOfActionFactory(process=plan.process, title="Pflege", priority=2)
    goal = GoalFactory(
        plan=plan,
        field_of_action=housing,
        title="Mehr barrierefreie Wohnungen",
        indicator_name="Barrierefreie Wohnungen",
        unit="Wohnungen",
        baseline_value=Decimal("120"),
        baseline_year=2024,
        target_value=Decimal("200"),
        target_year=2030,
    )
    partner = ActorFactory(municipality=plan.municipality, name="Seniorenbeirat")
    measure = MeasureFactory(
        plan=plan,
        field_of_action=housing,
        title="Wohnberatung einrichten",
        description="Eine Beratungsstelle im Rathaus.",
        responsible_unit="Sozialamt",
        responsible_person=coordinator,
        target_groups=[TargetGroup.SENIORS, TargetGroup.DISABILITIES],
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2027, 3, 31),
        budget_own=Decimal("1234.50"),
        budget_third_party=Decimal("5000.00"),
        budget_secured=Decimal("1000.00"),
        funding_programme="Altersgerecht Umbauen",
        funding_url="https://example.org/foerderung",
        priority=Priority.HIGH,
        status=MeasureStatus.IN_PROGRESS,
        progress=30,
        goals=[goal],
        partners=[partner],
        position=1,
    )
    MilestoneFactory(measure=measure, title="Räume gefunden", due_date=datetime.date(2026, 6, 30))
    second = MeasureFactory(plan=plan, field_of_action=housing, title="Wohnungstausch", position=2)
    third = MeasureFactory(plan=plan, field_of_action=care, title="Pflegestammtisch")
    return {"housing": housing, "care": care, "goal": goal, "measure": measure, "second": second, "third": third}


def _measure(snapshot, pk):
    return next(m for field in snapshot["fields_of_action"] for m in field["measures"] if m["id"] == pk)


# --- Snapshot -----------------------------------------------------------------------------------


def test_snapshot_contains_the_complete_plan(plan, content, coordinator):
    snapshot = versions.plan_snapshot(plan)
    json.dumps(snapshot)  # JSON-serialisable as it is stored
    assert snapshot["schema"] == versions.SCHEMA == 1
    assert snapshot["vision"] == "Musterstadt bleibt **lebendig**."
    assert snapshot["introduction"].startswith("## Anlass")
    assert [f["title"] for f in snapshot["fields_of_action"]] == ["Wohnen", "Pflege"]
    housing = snapshot["fields_of_action"][0]
    assert housing["number"] == "1"
    goal = housing["goals"][0]
    assert goal == {
        "id": content["goal"].pk,
        "number": "1.1.1",
        "title": "Mehr barrierefreie Wohnungen",
        "description": "",
        "indicator_code": "",
        "indicator_name": "Barrierefreie Wohnungen",
        "unit": "Wohnungen",
        "baseline_value": "120.000",
        "baseline_year": 2024,
        "target_value": "200.000",
        "target_year": 2030,
    }
    measure = _measure(snapshot, content["measure"].pk)
    assert measure["number"] == "1.2.1"
    assert measure["title"] == "Wohnberatung einrichten"
    assert measure["description"] == "Eine Beratungsstelle im Rathaus."
    assert measure["responsible_unit"] == "Sozialamt"
    assert measure["responsible_person"] == coordinator.name
    assert measure["responsible_person_email"] == coordinator.email
    assert measure["partners"] == ["Seniorenbeirat"]
    assert measure["target_groups"] == ["seniors", "disabilities"]
    assert (measure["start_date"], measure["end_date"]) == ("2026-04-01", "2027-03-31")
    assert (measure["budget_own"], measure["budget_third_party"], measure["budget_secured"]) == (
        "1234.50",
        "5000.00",
        "1000.00",
    )
    assert measure["funding_programme"] == "Altersgerecht Umbauen"
    assert measure["funding_url"] == "https://example.org/foerderung"
    assert (measure["priority"], measure["status"], measure["progress"]) == ("high", "in_progress", 30)
    assert measure["goals"] == ["Mehr barrierefreie Wohnungen"]
    assert measure["goal_ids"] == [content["goal"].pk]
    assert measure["goal_numbers"] == ["1.1.1"]
    assert [(m["title"], m["due_date"], m["done_on"]) for m in measure["milestones"]] == [
        ("Räume gefunden", "2026-06-30", None)
    ]
    assert _measure(snapshot, content["second"].pk)["number"] == "1.2.2"
    assert _measure(snapshot, content["third"].pk)["number"] == "2.2.1"
    assert snapshot["totals"]["measures"] == 3
    assert snapshot["totals"]["goals"] == 1
    assert Decimal(snapshot["totals"]["budget_own"]) == Decimal("3234.50")


def test_snapshot_query_count_does_not_grow_with_the_plan(plan, content, django_assert_max_num_queries):
    for _ in range(10):
        MeasureFactory(plan=plan, field_of_action=content["care"])
    with django_assert_max_num_queries(12):
        versions.plan_snapshot(plan)


def test_version_create_freezes_the_plan(plan, content, coordinator):
    version = versions.version_create(
        plan=plan, actor=coordinator, name="  Beschluss   Stadtrat 03/2026 ", date=datetime.date(2026, 3, 20)
    )
    assert version.name == "Beschluss Stadtrat 03/2026"
    assert version.created_by == coordinator
    services.measure_update(measure=content["measure"], user=coordinator, data={"title": "Neuer Titel"}, version=None)
    version.refresh_from_db()
    assert _measure(version.snapshot, content["measure"].pk)["title"] == "Wohnberatung einrichten"
    entry = AuditLogEntry.objects.get(action="plans.version.created")
    assert entry.data["process"] == plan.process_id and entry.data["version"] == version.pk


@pytest.mark.parametrize(("name", "date"), [("", datetime.date(2026, 3, 1)), ("   ", datetime.date(2026, 3, 1))])
def test_version_create_requires_a_name(plan, coordinator, name, date):
    with pytest.raises(DomainError):
        versions.version_create(plan=plan, actor=coordinator, name=name, date=date)
    assert not PlanVersion.objects.exists()


def test_version_create_refuses_duplicates(plan, coordinator):
    versions.version_create(plan=plan, actor=coordinator, name="Entwurf", date=datetime.date(2026, 3, 1))
    with pytest.raises(DomainError):
        versions.version_create(plan=plan, actor=coordinator, name="Entwurf", date=datetime.date(2026, 3, 1))
    assert PlanVersion.objects.count() == 1


def test_unknown_schema_is_refused():
    with pytest.raises(DomainError):
        versions.load_snapshot({"schema": 99})


# --- Comparison ---------------------------------------------------------------------------------


def test_diff_finds_added_removed_and_changed_measures_and_goals(plan, content, coordinator):
    before = versions.plan_snapshot(plan)
    measure, goal = content["measure"], content["goal"]
    services.measure_update(
        measure=measure,
        user=coordinator,
        data={
            "status": MeasureStatus.DONE,
            "progress": 100,
            "budget_own": Decimal("2000"),
            "end_date": datetime.date(2027, 6, 30),
            "partners": [],
            "target_groups": [TargetGroup.SENIORS],
        },
        version=None,
    )
    services.goal_update(goal=goal, user=coordinator, data={"target_value": Decimal("250")}, version=None)
    services.measure_delete(measure=content["second"], user=coordinator)
    added = services.measure_create(
        plan=plan, user=coordinator, data={"field_of_action": content["care"], "title": "Pflegelotsen"}
    )
    plan.vision = "Musterstadt bleibt jung."
    plan.save()
    after = versions.plan_snapshot(plan)

    with translation.override("de"):
        diff = versions.version_diff(before, after)
    assert [item.id for item in diff.added_measures] == [added.pk]
    assert [item.title for item in diff.removed_measures] == ["Wohnungstausch"]
    assert [item.id for item in diff.changed_measures] == [measure.pk]
    changes = {change.key: change for change in diff.changed_measures[0].changes}
    assert set(changes) == {"status", "progress", "budget_own", "end_date", "partners", "target_groups"}
    assert (changes["budget_own"].old, changes["budget_own"].new) == ("1.234,50 €", "2.000,00 €")
    assert (changes["end_date"].old, changes["end_date"].new) == ("31.03.2027", "30.06.2027")
    assert (changes["progress"].old, changes["progress"].new) == ("30 %", "100 %")
    assert (changes["partners"].old, changes["partners"].new) == ("Seniorenbeirat", "—")
    assert changes["status"].old == str(MeasureStatus.IN_PROGRESS.label)
    assert changes["status"].new == str(MeasureStatus.DONE.label)
    assert all(change.label for change in changes.values())
    assert [item.id for item in diff.changed_goals] == [goal.pk]
    goal_change = diff.changed_goals[0].changes[0]
    assert (goal_change.key, goal_change.old, goal_change.new) == ("target_value", "200", "250")
    assert [change.key for change in diff.plan_changes] == ["vision"]
    assert not diff.added_goals and not diff.removed_goals


def test_diff_of_identical_snapshots_is_empty(plan, content):
    snapshot = versions.plan_snapshot(plan)
    assert versions.version_diff(snapshot, versions.plan_snapshot(plan)).is_empty


def test_renumbering_alone_is_no_change(plan, content, coordinator):
    before = versions.plan_snapshot(plan)
    services.measure_move(measure=content["second"], user=coordinator, direction="up")
    diff = versions.version_diff(before, versions.plan_snapshot(plan))
    assert diff.is_empty


# --- Pages --------------------------------------------------------------------------------------


@pytest.fixture
def version(plan, content, coordinator):
    return versions.version_create(
        plan=plan, actor=coordinator, name="Entwurf für den Stadtrat", date=datetime.date(2026, 3, 10)
    )


def test_version_list_for_coordination_shows_the_form(login, coordinator, plan_url, version):
    response = login(coordinator).get(plan_url("plans:versions"))
    assert response.status_code == 200
    assert b"Entwurf f\xc3\xbcr den Stadtrat" in response.content
    assert b'name="name"' in response.content


def test_coordination_freezes_a_version(login, coordinator, plan_url, plan, content):
    response = login(coordinator).post(plan_url("plans:versions"), {"name": "Beschluss", "date": "2026-06-20"})
    version = PlanVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan_url("plans:version_detail", version_pk=version.pk)
    assert version.snapshot["totals"]["measures"] == 3


def test_freezing_with_bad_input_shows_the_error(login, coordinator, plan_url, plan):
    response = login(coordinator).post(plan_url("plans:versions"), {"name": "", "date": "31.02.2026"})
    assert response.status_code == 400
    assert not PlanVersion.objects.exists()


@pytest.mark.parametrize("role", ["contributor", "reader", "advisor"])
def test_only_coordination_freezes(request, login, plan_url, plan, role):
    user = request.getfixturevalue(role)
    client = login(user)
    response = client.get(plan_url("plans:versions"))
    assert response.status_code == 200
    assert b'name="name"' not in response.content
    assert client.post(plan_url("plans:versions"), {"name": "X", "date": "2026-06-20"}).status_code == 403
    assert not PlanVersion.objects.exists()


def test_freeze_permission_rule(coordinator, contributor, reader, advisor, outsider, municipality):
    assert coordinator.has_perm("plans.freeze_version", municipality)
    for user in (contributor, reader, advisor, outsider):
        assert not user.has_perm("plans.freeze_version", municipality)


def test_outsider_and_anonymous_get_404(login, outsider, client, plan_url, version, content):
    urls = [
        plan_url("plans:versions"),
        plan_url("plans:version_detail", version_pk=version.pk),
        plan_url("plans:version_compare") + f"?a={version.pk}&b=current",
        plan_url("plans:measure_history", measure_pk=content["measure"].pk),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(urls[0], {"name": "X", "date": "2026-06-20"}).status_code == 404


def test_wrong_step_slug_is_404(login, reader, process, version):
    from django.urls import reverse

    url = reverse(
        "plans:versions",
        kwargs={"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "kommunalprofil"},
    )
    assert login(reader).get(url).status_code == 404


def test_version_of_another_plan_is_404(login, reader, plan_url, other_plan, outsider):
    foreign = versions.version_create(plan=other_plan, actor=outsider, name="Fremd", date=datetime.date(2026, 1, 1))
    assert login(reader).get(plan_url("plans:version_detail", version_pk=foreign.pk)).status_code == 404


def test_version_detail_is_read_only_and_frozen(login, reader, coordinator, plan_url, version, content):
    services.measure_update(measure=content["measure"], user=coordinator, data={"title": "Umbenannt"}, version=None)
    response = login(reader).get(plan_url("plans:version_detail", version_pk=version.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Wohnberatung einrichten" in text and "Umbenannt" not in text
    assert "1.2.1" in text and "Räume gefunden" in text and "Seniorenbeirat" in text
    assert "<strong>lebendig</strong>" in text
    article = text.split('<article class="plan-document">', 1)[1].split("</article>", 1)[0].split('class="page-toc"')[1]
    assert "/bearbeiten/" not in article and "<form" not in article and "/massnahmen/" not in article


def test_version_detail_as_coordinator_has_no_edit_controls(login, coordinator, plan_url, version):
    text = login(coordinator).get(plan_url("plans:version_detail", version_pk=version.pk)).content.decode()
    article = text.split('<article class="plan-document">', 1)[1].split("</article>", 1)[0].split('class="page-toc"')[1]
    assert "/bearbeiten/" not in article and "/verschieben/" not in article and "<form" not in article


def test_compare_page_shows_changed_fields(login, reader, coordinator, plan, plan_url, version, content):
    services.measure_update(
        measure=content["measure"], user=coordinator, data={"responsible_unit": "Bauamt"}, version=None
    )
    later = versions.version_create(plan=plan, actor=coordinator, name="Beschluss", date=datetime.date(2026, 6, 1))
    response = login(reader).get(plan_url("plans:version_compare") + f"?a={version.pk}&b={later.pk}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Sozialamt" in text and "Bauamt" in text and "<del>" in text and "<ins>" in text


def test_compare_with_the_current_plan(login, reader, coordinator, plan_url, version, content):
    services.measure_delete(measure=content["third"], user=coordinator)
    response = login(reader).get(plan_url("plans:version_compare") + f"?a={version.pk}&b=current")
    assert response.status_code == 200
    assert "Pflegestammtisch" in response.content.decode()


def test_compare_with_unknown_version_is_refused(login, reader, plan_url, version):
    response = login(reader).get(plan_url("plans:version_compare") + "?a=999999&b=current")
    assert response.status_code == 400


def test_version_list_query_count(login, reader, plan, plan_url, coordinator, django_assert_num_queries):
    client = login(reader)
    for index in range(3):
        versions.version_create(plan=plan, actor=coordinator, name=f"V{index}", date=datetime.date(2026, 1, index + 1))
    client.get(plan_url("plans:versions"))  # warm caches (session, site)
    with django_assert_num_queries(9) as captured:
        client.get(plan_url("plans:versions"))
    for index in range(3, 10):
        versions.version_create(plan=plan, actor=coordinator, name=f"V{index}", date=datetime.date(2026, 2, index))
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(plan_url("plans:versions"))


# --- Change history -----------------------------------------------------------------------------


def test_history_lists_changes_with_old_and_new_values(login, reader, coordinator, plan_url, content):
    measure = content["measure"]
    services.measure_update(
        measure=measure, user=coordinator, data={"status": MeasureStatus.PAUSED, "title": "Wohnberatung"}, version=None
    )
    milestone = measure.milestones.get()
    services.milestone_toggle_done(milestone=milestone, user=coordinator, today=datetime.date(2026, 6, 1))
    other = content["third"]
    services.measure_update(measure=other, user=coordinator, data={"title": "Anderes"}, version=None)
    history = versions.measure_history(measure)
    assert [entry.what for entry in history] == [
        str(versions.ACTION_LABELS["plans.milestone.reached"]),
        str(versions.ACTION_LABELS["plans.measure.updated"]),
    ]
    changes = {change.key: (change.old, change.new) for change in history[1].changes}
    assert changes["title"] == ("Wohnberatung einrichten", "Wohnberatung")
    assert changes["status"] == (str(MeasureStatus.IN_PROGRESS.label), str(MeasureStatus.PAUSED.label))
    assert history[1].who == coordinator.name
    response = login(reader).get(plan_url("plans:measure_history", measure_pk=measure.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Wohnberatung einrichten" in text and "Räume gefunden" in text and "Anderes" not in text


def test_history_of_a_measure_of_another_plan_is_404(login, reader, plan_url, other_plan):
    foreign = MeasureFactory(plan=other_plan)
    assert login(reader).get(plan_url("plans:measure_history", measure_pk=foreign.pk)).status_code == 404


# --- Demo ---------------------------------------------------------------------------------------


def test_demo_versions_are_idempotent_and_differ(plan, content, coordinator, municipality, process):
    from daks.plans.demo_versions import seed_plan_versions

    draft, decided = seed_plan_versions(municipality, process, coordinator)
    assert (draft.name, decided.name) == ("Entwurf für den Stadtrat 03/2026", "Beschluss Stadtrat 06/2026")
    again = seed_plan_versions(municipality, process, coordinator)
    assert [version.pk for version in again] == [draft.pk, decided.pk]
    assert PlanVersion.objects.filter(plan=plan).count() == 2
    diff = versions.version_diff(draft.snapshot, decided.snapshot)
    assert len(diff.changed_measures) == 3 and len(diff.added_measures) == 1 and not diff.removed_measures
