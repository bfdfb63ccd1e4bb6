"""Workspace API: goals, measures (status and progress) and milestones of the Werkstattplan."""

import datetime
from decimal import Decimal

import pytest

from daks.core.models import AuditLogEntry
from daks.plans import services as plan_services
from daks.plans.models import Goal, Measure, MeasureStatus, Milestone, Plan
from daks.profile import services as profile_services
from daks.strategy import actor_services
from daks.strategy import services as strategy_services

from . import workspace_support

# fixtures of the shared module (assigned, not imported: pytest finds them by name in this module)
_generous_rate_limits = workspace_support._generous_rate_limits
foreign = workspace_support.foreign
own = workspace_support.own
send = workspace_support.send
world = workspace_support.world


@pytest.fixture
def token(make_token, contributor, municipality):
    return make_token(contributor, municipality)


def _goals(o):
    return f"/processes/{o.process.pk}/goals"


def _measures(o):
    return f"/processes/{o.process.pk}/measures"


def _milestones(o):
    return f"/processes/{o.process.pk}/measures/{o.measure.pk}/milestones"


# --- Goals ----------------------------------------------------------------------------------------


def test_goals_in_document_order_with_numbers(send, token, own, coordinator):
    health = profile_services.field_of_action_create(
        actor=coordinator, municipality=own.municipality, process=own.process, title="Gesundheit"
    )
    second = plan_services.goal_create(
        plan=own.plan, user=coordinator, data={"field_of_action": own.field, "title": "Weniger Leerstand"}
    )
    third = plan_services.goal_create(
        plan=own.plan, user=coordinator, data={"field_of_action": health, "title": "Hausärzte halten"}
    )
    body = send("get", _goals(own), token).json()
    assert [(item["id"], item["number"]) for item in body["results"]] == [
        (own.goal.pk, "1.1.1"),
        (second.pk, "1.1.2"),
        (third.pk, "2.1.1"),
    ]
    only = send("get", _goals(own) + f"?field_of_action={health.pk}", token).json()
    assert [item["id"] for item in only["results"]] == [third.pk]


def test_goals_of_a_process_without_plan_are_empty_and_reading_creates_no_plan(send, token, own, coordinator):
    process = strategy_services.process_create(
        actor=coordinator, municipality=own.municipality, title="Quartier", start_date="2026-01-01"
    )
    assert send("get", f"/processes/{process.pk}/goals", token).json()["count"] == 0
    assert send("get", f"/processes/{process.pk}/measures", token).json()["count"] == 0
    assert not Plan.objects.filter(process=process).exists()


def test_goal_create_with_an_own_indicator(send, token, own, contributor):
    response = send(
        "post",
        _goals(own),
        token,
        {
            "field_of_action": own.field.pk,
            "title": "Mehr Plätze in der Tagespflege",
            "indicator_name": "Plätze Tagespflege",
            "unit": "Plätze",
            "baseline_value": "12",
            "baseline_year": 2025,
            "target_value": 30.5,
            "target_year": 2030,
        },
    )
    assert response.status_code == 201, response.content
    goal = Goal.objects.get(pk=response.json()["id"])
    assert (goal.baseline_value, goal.target_value) == (Decimal("12"), Decimal("30.5"))
    assert goal.plan == own.plan
    assert response.json()["number"] == "1.1.2"
    assert Decimal(response.json()["target_value"]) == Decimal("30.5")
    entry = AuditLogEntry.objects.filter(action="plans.goal.created").latest("pk")
    assert (entry.actor, entry.data["process"]) == (contributor, own.process.pk)


def test_the_first_goal_creates_the_plan(send, token, own, coordinator):
    process = strategy_services.process_create(
        actor=coordinator, municipality=own.municipality, title="Quartier", start_date="2026-01-01"
    )
    field = profile_services.field_of_action_create(
        actor=coordinator, municipality=own.municipality, process=process, title="Wohnen"
    )
    response = send("post", f"/processes/{process.pk}/goals", token, {"field_of_action": field.pk, "title": "Ziel"})
    assert response.status_code == 201
    assert Goal.objects.get(pk=response.json()["id"]).plan.process == process


@pytest.mark.parametrize(
    ("body", "field", "german"),
    [
        ({"baseline_value": "10"}, "baseline_year", "Bitte geben Sie den Wert zusammen mit seinem Jahr an."),
        ({"indicator_code": "erfunden"}, "indicator_code", None),
        ({"indicator_name": "Eigener", "unit": ""}, "unit", None),
        ({"baseline_value": 1, "baseline_year": 2030, "target_value": 2, "target_year": 2025}, "target_year", None),
        ({"field_of_action": "foreign"}, "field_of_action", None),
    ],
)
def test_goal_rules_of_the_service_answer_400_in_german(body, field, german, send, token, own, foreign):
    if body.get("field_of_action") == "foreign":
        body = {"field_of_action": foreign.field.pk}
    if "baseline_value" in body or "target_value" in body:
        body = {"indicator_name": "Plätze", "unit": "Plätze", **body}
    before = world()
    created = send("post", _goals(own), token, {"field_of_action": own.field.pk, "title": "Ziel", **body})
    assert created.status_code == 400, created.content
    assert created.json()["field"] == field
    assert created.json()["detail"].startswith("Bitte") or created.json()["detail"].startswith("Das")
    if german:
        assert created.json()["detail"] == german
    updated = send("patch", f"{_goals(own)}/{own.goal.pk}", token, body)
    assert updated.status_code == 400
    assert world() == before


def test_goal_update_is_partial_and_moves_between_fields(send, token, own, coordinator):
    health = profile_services.field_of_action_create(
        actor=coordinator, municipality=own.municipality, process=own.process, title="Gesundheit"
    )
    response = send("patch", f"{_goals(own)}/{own.goal.pk}", token, {"description": "Bis 2030"})
    assert response.status_code == 200
    goal = Goal.objects.get(pk=own.goal.pk)
    assert (goal.title, goal.description) == ("Mehr Wohnraum", "Bis 2030")
    response = send("patch", f"{_goals(own)}/{own.goal.pk}", token, {"field_of_action": health.pk})
    assert response.json()["field_of_action"] == health.pk
    assert response.json()["number"] == "2.1.1"


def test_goal_stale_version_is_refused_with_409(send, token, own, coordinator):
    version = own.goal.version
    plan_services.goal_update(goal=own.goal, user=coordinator, data={"description": "Von anderen"})
    before = world()
    response = send("patch", f"{_goals(own)}/{own.goal.pk}", token, {"title": "Meins", "version": version})
    assert response.status_code == 409
    assert world() == before


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Ohne Feld"},
        {"field_of_action": 1, "title": "x" * 301},
        {"field_of_action": 1, "title": "Jahr", "baseline_year": 1800},
        {"field_of_action": 1, "title": "Stellen", "baseline_value": "1.2345"},
        {"field_of_action": 1, "title": "Groß", "target_value": "123456789012"},
        {"field_of_action": 1, "title": "NaN", "target_value": "NaN"},
        {"field_of_action": 1, "title": "Unendlich", "target_value": "Infinity"},
        {"field_of_action": 1, "title": "Einheit", "unit": "x" * 41},
    ],
)
def test_goal_invalid_bodies_are_refused_with_422(body, send, token, own):
    before = world()
    assert send("post", _goals(own), token, body).status_code == 422
    assert world() == before


def test_goal_delete(send, token, own):
    assert send("delete", f"{_goals(own)}/{own.goal.pk}", token).status_code == 204
    assert not Goal.objects.filter(pk=own.goal.pk).exists()


# --- Measures -------------------------------------------------------------------------------------


def test_measure_list_with_numbers_relations_and_filters(send, token, own, coordinator):
    second = plan_services.measure_create(
        plan=own.plan,
        user=coordinator,
        data={"field_of_action": own.field, "title": "Leerstandskataster", "status": "in_progress"},
    )
    body = send("get", _measures(own), token).json()
    assert [(item["id"], item["number"]) for item in body["results"]] == [
        (own.measure.pk, "1.2.1"),
        (second.pk, "1.2.2"),
    ]
    first = body["results"][0]
    assert first["goals"] == [own.goal.pk]
    assert [milestone["title"] for milestone in first["milestones"]] == ["Start"]
    assert first["budget_own"] == "0.00"
    by_status = send("get", _measures(own) + "?status=in_progress", token).json()
    assert [item["id"] for item in by_status["results"]] == [second.pk]
    other_field = send("get", _measures(own) + "?field_of_action=999999", token).json()
    assert other_field["count"] == 0
    assert send("get", _measures(own) + "?status=fertig", token).status_code == 422


def test_measure_list_queries_do_not_grow(send, token, own, coordinator, django_assert_num_queries):
    for number in range(3):
        plan_services.measure_create(
            plan=own.plan,
            user=coordinator,
            data={
                "field_of_action": own.field,
                "title": f"Maßnahme {number}",
                "goals": [own.goal],
                "milestones": [{"title": "M", "due_date": datetime.date(2027, 1, 1)}],
            },
        )
    send("get", _measures(own), token)
    # token, membership, Kommune, process, plan, numbering (3), count, page, goals, partners, milestones
    with django_assert_num_queries(13):
        assert send("get", _measures(own), token).json()["count"] == 4


def test_measure_detail(send, token, own):
    response = send("get", f"{_measures(own)}/{own.measure.pk}", token)
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["number"], body["status"]) == ("Wohnungsbörse", "1.2.1", "idea")
    assert body["milestones"][0]["id"] == own.milestone.pk
    assert body["version"] == Measure.objects.get(pk=own.measure.pk).version


def test_measure_create_with_relations_and_milestones(send, token, own, contributor):
    partner = actor_services.actor_create(actor=contributor, municipality=own.municipality, name="Wohnbau eG")
    response = send(
        "post",
        _measures(own),
        token,
        {
            "field_of_action": own.field.pk,
            "title": "Beratungsstelle Wohnen",
            "goals": [own.goal.pk],
            "partners": [partner.pk],
            "responsible_person": contributor.pk,
            "target_groups": ["seniors", "families", "seniors"],
            "start_date": "2026-04-01",
            "end_date": "2027-03-31",
            "budget_own": "5000",
            "budget_third_party": 10000.5,
            "budget_secured": "7500.25",
            "funding_url": "https://example.org/foerderung",
            "priority": "high",
            "milestones": [{"title": "Räume gefunden", "due_date": "2026-06-30"}],
        },
    )
    assert response.status_code == 201, response.content
    measure = Measure.objects.get(pk=response.json()["id"])
    assert measure.plan == own.plan
    assert list(measure.goals.all()) == [own.goal]
    assert list(measure.partners.all()) == [partner]
    assert measure.responsible_person == contributor
    assert measure.target_groups == ["families", "seniors"]
    assert measure.budget_third_party == Decimal("10000.50")
    assert [m.title for m in measure.milestones.all()] == ["Räume gefunden"]
    body = response.json()
    assert body["number"] == "1.2.2"
    assert body["partners"] == [partner.pk]
    assert body["budget_secured"] == "7500.25"
    assert AuditLogEntry.objects.filter(action="plans.measure.created", actor=contributor).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"goals": "foreign"}, "goals"),
        ({"partners": "foreign"}, "partners"),
        ({"responsible_person": "outsider"}, "responsible_person"),
        ({"field_of_action": "foreign"}, "field_of_action"),
        ({"budget_own": "10", "budget_secured": "20"}, "budget_secured"),
        ({"start_date": "2027-01-01", "end_date": "2026-01-01"}, "end_date"),
        ({"funding_url": "nur text"}, "funding_url"),
    ],
)
def test_measure_rules_answer_400_and_nothing_is_written(body, field, send, token, own, foreign, outsider):
    replacements = {
        "goals": [foreign.goal.pk],
        "partners": [foreign.actor.pk],
        "responsible_person": outsider.pk,
        "field_of_action": foreign.field.pk,
    }
    body = {key: replacements[key] if value in ("foreign", "outsider") else value for key, value in body.items()}
    before = world()
    created = send("post", _measures(own), token, {"field_of_action": own.field.pk, "title": "Neu", **body})
    assert created.status_code == 400, created.content
    assert created.json()["field"] == field
    assert created.json()["detail"].startswith(("Bitte", "Das", "Der"))
    updated = send("patch", f"{_measures(own)}/{own.measure.pk}", token, body)
    assert updated.status_code == 400
    assert updated.json()["field"] == field
    assert world() == before


def test_measure_update_is_partial(send, token, own):
    response = send("patch", f"{_measures(own)}/{own.measure.pk}", token, {"responsible_unit": "Bauamt"})
    assert response.status_code == 200
    measure = Measure.objects.get(pk=own.measure.pk)
    assert (measure.responsible_unit, measure.title) == ("Bauamt", "Wohnungsbörse")
    assert list(measure.goals.all()) == [own.goal]
    assert response.json()["goals"] == [own.goal.pk]
    response = send("patch", f"{_measures(own)}/{own.measure.pk}", token, {"goals": []})
    assert response.json()["goals"] == []
    changes = AuditLogEntry.objects.filter(action="plans.measure.updated").latest("pk").data["changes"]
    assert "goals" in changes


def test_measure_status_done_sets_progress_to_100(send, token, own, contributor):
    response = send("patch", f"{_measures(own)}/{own.measure.pk}/status", token, {"status": "done"})
    assert response.status_code == 200
    measure = Measure.objects.get(pk=own.measure.pk)
    assert (measure.status, measure.progress) == (MeasureStatus.DONE, 100)
    assert response.json()["progress"] == 100
    entry = AuditLogEntry.objects.filter(action="plans.measure.status_changed").latest("pk")
    assert (entry.actor, entry.data["changes"]["status"]) == (contributor, ["idea", "done"])


def test_measure_progress(send, token, own):
    response = send("patch", f"{_measures(own)}/{own.measure.pk}/progress", token, {"progress": 60})
    assert response.status_code == 200
    assert Measure.objects.get(pk=own.measure.pk).progress == 60
    assert AuditLogEntry.objects.filter(action="plans.measure.updated").latest("pk").data["changes"] == {
        "progress": [0, 60]
    }


@pytest.mark.parametrize(
    ("suffix", "body"),
    [("", {"title": "Meins"}), ("/status", {"status": "paused"}), ("/progress", {"progress": 10})],
)
def test_measure_stale_version_is_refused_with_409(suffix, body, send, token, own, coordinator):
    version = own.measure.version
    plan_services.measure_update(measure=own.measure, user=coordinator, data={"description": "anders"}, version=None)
    before = world()
    response = send("patch", f"{_measures(own)}/{own.measure.pk}{suffix}", token, {**body, "version": version})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Jemand anderes hat")
    assert world() == before
    current = Measure.objects.get(pk=own.measure.pk).version
    assert (
        send("patch", f"{_measures(own)}/{own.measure.pk}{suffix}", token, {**body, "version": current}).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("suffix", "body"),
    [
        ("/progress", {"progress": 101}),
        ("/progress", {"progress": -1}),
        ("/progress", {"progress": "viel"}),
        ("/progress", {}),
        ("/status", {"status": "fertig"}),
        ("", {"budget_own": "-1"}),
        ("", {"budget_own": "1234567890123"}),
        ("", {"budget_own": "1.234"}),
        ("", {"target_groups": ["aliens"]}),
        ("", {"title": None}),
        ("", {"field_of_action": None}),
        ("", {"start_date": "1900-01-01"}),
        ("", {"description": "x" * 20001}),
        ("", {"milestones": []}),
    ],
)
def test_measure_invalid_bodies_are_refused_with_422(suffix, body, send, token, own):
    before = world()
    response = send("patch", f"{_measures(own)}/{own.measure.pk}{suffix}", token, body)
    assert response.status_code == 422
    assert world() == before


def test_measure_create_limits_milestones(send, token, own):
    before = world()
    rows = [{"title": f"M{n}", "due_date": "2026-01-01"} for n in range(51)]
    body = {"field_of_action": own.field.pk, "title": "Viele", "milestones": rows}
    assert send("post", _measures(own), token, body).status_code == 422
    assert world() == before


def test_measure_delete(send, token, own):
    assert send("delete", f"{_measures(own)}/{own.measure.pk}", token).status_code == 204
    assert not Measure.objects.filter(pk=own.measure.pk).exists()
    assert not Milestone.objects.filter(pk=own.milestone.pk).exists()


# --- Milestones -----------------------------------------------------------------------------------


def test_milestone_create_update_done_and_delete(send, token, own, contributor):
    response = send("post", _milestones(own), token, {"title": "Ratsbeschluss", "due_date": "2026-11-15"})
    assert response.status_code == 201
    milestone = Milestone.objects.get(pk=response.json()["id"])
    assert (milestone.measure, milestone.done_on) == (own.measure, None)
    response = send("patch", f"{_milestones(own)}/{milestone.pk}", token, {"done_on": "2026-11-10"})
    assert response.status_code == 200
    milestone.refresh_from_db()
    assert (milestone.title, milestone.done_on) == ("Ratsbeschluss", datetime.date(2026, 11, 10))
    response = send("patch", f"{_milestones(own)}/{milestone.pk}", token, {"done_on": None})
    assert response.json()["done_on"] is None
    entry = AuditLogEntry.objects.filter(action="plans.milestone.updated").latest("pk")
    assert (entry.actor, entry.data["measure"]) == (contributor, own.measure.pk)
    assert send("delete", f"{_milestones(own)}/{milestone.pk}", token).status_code == 204
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_milestone_of_another_measure_is_404(send, token, own, coordinator):
    other = plan_services.measure_create(
        plan=own.plan, user=coordinator, data={"field_of_action": own.field, "title": "Andere"}
    )
    before = world()
    path = f"/processes/{own.process.pk}/measures/{other.pk}/milestones/{own.milestone.pk}"
    assert send("patch", path, token, {"title": "Falsch"}).status_code == 404
    assert send("delete", path, token).status_code == 404
    assert world() == before


def test_milestone_stale_version_is_refused_with_409(send, token, own, coordinator):
    version = own.milestone.version
    plan_services.milestone_update(
        milestone=own.milestone, user=coordinator, title="Anders", due_date=own.milestone.due_date
    )
    before = world()
    response = send("patch", f"{_milestones(own)}/{own.milestone.pk}", token, {"title": "Meins", "version": version})
    assert response.status_code == 409
    assert world() == before


@pytest.mark.parametrize(
    "body",
    [{"title": "Ohne Datum"}, {"title": "", "due_date": "2026-01-01"}, {"title": "x" * 301, "due_date": "2026-01-01"}],
)
def test_milestone_invalid_bodies_are_refused_with_422(body, send, token, own):
    before = world()
    assert send("post", _milestones(own), token, body).status_code == 422
    assert world() == before
