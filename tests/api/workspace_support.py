"""Shared fixtures and helpers of the workspace API tests (tests/api/test_workspace_*.py).

Test modules import the fixtures they use (``from .workspace_support import …``): ``own`` and ``foreign`` are
the same set of objects (process, actor, SWOT entry, field of action, plan, goal, measure with a milestone, task)
in this Kommune and in another one, built with the services like a real workspace.
"""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from daks.core.models import AuditLogEntry
from daks.plans import services as plan_services
from daks.plans.models import Goal, Measure, Milestone, Plan
from daks.profile import services as profile_services
from daks.profile.models import FieldOfAction, SwotItem
from daks.strategy import actor_services, task_services
from daks.strategy import services as strategy_services
from daks.strategy.models import Actor, StepState, StrategyProcess, Task

BASE = "/api/v1/municipalities"
WORLD_MODELS = (StrategyProcess, StepState, Actor, SwotItem, FieldOfAction, Plan, Goal, Measure, Milestone, Task)
M2M = (
    StrategyProcess.coordinators.through,
    FieldOfAction.swot_items.through,
    Measure.goals.through,
    Measure.partners.through,
)


@dataclass
class Objects:
    municipality: object
    process: StrategyProcess
    actor: Actor
    swot_item: SwotItem
    field: FieldOfAction
    plan: Plan
    goal: Goal
    measure: Measure
    milestone: Milestone
    task: Task


def build_objects(municipality, user, *, name: str) -> Objects:
    process = strategy_services.process_create(
        actor=user, municipality=municipality, title=f"{name} 2040", start_date=datetime.date(2026, 3, 1)
    )
    actor = actor_services.actor_create(actor=user, municipality=municipality, name=f"Seniorenbeirat {name}")
    swot_item = profile_services.swot_item_create(
        actor=user, municipality=municipality, process=process, quadrant="strength", text="Starke Vereine"
    )
    field = profile_services.field_of_action_create(
        actor=user, municipality=municipality, process=process, title="Wohnen", swot_items=[swot_item]
    )
    plan = plan_services.plan_get_or_create(process=process)
    goal = plan_services.goal_create(plan=plan, user=user, data={"field_of_action": field, "title": "Mehr Wohnraum"})
    measure = plan_services.measure_create(
        plan=plan,
        user=user,
        data={
            "field_of_action": field,
            "title": "Wohnungsbörse",
            "goals": [goal],
            "milestones": [{"title": "Start", "due_date": datetime.date(2026, 9, 30)}],
        },
    )
    task = task_services.task_create(actor=user, municipality=municipality, title="Einladung verschicken")
    return Objects(
        municipality=municipality,
        process=process,
        actor=actor,
        swot_item=swot_item,
        field=field,
        plan=plan,
        goal=goal,
        measure=measure,
        milestone=measure.milestones.get(),
        task=task,
    )


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    """The tests send many requests from one address within a minute; rate limits are tested elsewhere. The
    counters are cleared afterwards, so tests with the real limits do not inherit these requests."""
    settings.DAKS_API_RATE_LIMITS = {"token": (100_000, 60), "address": (100_000, 60)}
    yield
    cache.clear()


@pytest.fixture
def own(municipality, coordinator):
    return build_objects(municipality, coordinator, name="Musterstadt")


@pytest.fixture
def foreign(other_municipality, outsider):
    return build_objects(other_municipality, outsider, name="Anderdorf")


@pytest.fixture
def send(client):
    """``send(method, path, token=None, body=None)`` → response; ``path`` below /municipalities/musterstadt
    unless it starts with ``/api/``."""

    def do(method, path, token=None, body=None, slug="musterstadt"):
        url = path if path.startswith("/api/") else f"{BASE}/{slug}{path}"
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        if body is None:
            return client.generic(method.upper(), url, **headers)
        return client.generic(method.upper(), url, json.dumps(body), content_type="application/json", **headers)

    return do


def world() -> dict:
    """Every row of the workspace models, to prove that a refused request changed nothing."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in WORLD_MODELS}
    for through in M2M:
        rows[through.__name__] = sorted(through.objects.values_list(*[f.attname for f in through._meta.fields]))
    rows["audit"] = AuditLogEntry.objects.count()
    return rows
