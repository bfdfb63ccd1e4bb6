"""The five steps as a registry.

Each step declares its pages, its checklist and ``progress(process) -> (done, required)``; the process
overview, the step navigation and "what next" are derived from it, never written per step.

Later issues extend a step without touching this module's callers:

- ``register_page(Step.PROFILE, _("SWOT"), "profile:swot")`` adds a page. Every step page URL takes the
  kwargs ``municipality_slug``, ``pk`` (the process) and ``step_slug``.
- ``register_criterion(Step.PLAN, measures_have_owners)`` adds a progress criterion: a callable
  ``criterion(process) -> (done, required)`` whose counts are added to the checklist's.

Checklist data of a process is loaded once per process object (``selectors.process_snapshot``), so
rendering all five steps costs a constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import STEP_ORDER, Step

Criterion = Callable[[object], tuple[int, int]]


@dataclass(frozen=True)
class ChecklistEntry:
    item: object  # ChecklistItem
    ticked: bool
    tick: object | None = None  # ChecklistTick


@dataclass
class StepDefinition:
    step: Step
    slug: str
    title: Promise
    description: Promise
    pages: list[tuple[Promise, str]] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def number(self) -> int:
        return STEP_ORDER[self.step]

    def page_links(self, process) -> list[tuple[str, str]]:
        kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": self.slug}
        return [(label, reverse(url_name, kwargs=kwargs)) for label, url_name in self.pages]

    def url(self, process) -> str:
        return reverse(
            "strategy:step",
            kwargs={"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": self.slug},
        )

    def checklist(self, process) -> list[ChecklistEntry]:
        from .selectors import process_snapshot

        snapshot = process_snapshot(process)
        return [
            ChecklistEntry(item=item, ticked=item.pk in snapshot.ticks, tick=snapshot.ticks.get(item.pk))
            for item in snapshot.items.get(self.step, [])
        ]

    def progress(self, process) -> tuple[int, int]:
        required = [entry for entry in self.checklist(process) if entry.item.required]
        done, total = sum(entry.ticked for entry in required), len(required)
        for criterion in self.criteria:
            extra_done, extra_total = criterion(process)
            done, total = done + extra_done, total + extra_total
        return done, total

    def next_actions(self, process, limit: int = 3) -> list[ChecklistEntry]:
        """The first unticked required checklist items."""
        return [entry for entry in self.checklist(process) if entry.item.required and not entry.ticked][:limit]

    def status(self, process) -> str:
        from .selectors import process_snapshot

        return process_snapshot(process).statuses.get(self.step, "open")


STEPS: dict[Step, StepDefinition] = {}


def register_step(definition: StepDefinition) -> StepDefinition:
    STEPS[definition.step] = definition
    return definition


def register_page(step: Step, label: Promise, url_name: str) -> None:
    STEPS[step].pages.append((label, url_name))


def register_criterion(step: Step, criterion: Criterion) -> None:
    STEPS[step].criteria.append(criterion)


def all_steps() -> list[StepDefinition]:
    return sorted(STEPS.values(), key=lambda definition: definition.number)


def step_by_slug(slug: str) -> StepDefinition | None:
    return next((definition for definition in STEPS.values() if definition.slug == slug), None)


class ToolList(list):
    """Tools shown on a step page; ``total`` is how many published tools serve the step in all."""

    total: int = 0


def toolbox_tools(step: Step) -> ToolList:
    """Published tools of the Werkzeugkoffer that fit ``step`` (the first few by title, two queries).

    The step page shows its "Werkzeugkoffer" section only when the list is non-empty.
    """
    from daks.toolbox.selectors import tools_for_step

    tools, total = tools_for_step(step)
    result = ToolList(tools)
    result.total = total
    return result


GUIDANCE_PAGE = (_("Guidance and checklist"), "strategy:step")

for _step, _slug, _title, _description in [
    (
        Step.KICKOFF,
        "kick-off",
        _("Kick-off"),
        _("Launch event with the head of the administration, politics and local actors."),
    ),
    (
        Step.PROFILE,
        "kommunalprofil",
        _("Municipal profile"),
        _("Data, inventory, interviews, SWOT and fields of action."),
    ),
    (
        Step.WORKSHOP,
        "zukunftswerkstatt",
        _("Future workshop"),
        _("Critique, fantasy and realisation phase with the citizens."),
    ),
    (
        Step.PLAN,
        "werkstattplan",
        _("Workshop plan"),
        _("Goals and measures with responsible persons, schedule, budget and indicators."),
    ),
    (
        Step.REVIEW,
        "zwischenbilanz",
        _("Interim review"),
        _("Obstacles, success factors, progress, adjustments and consolidation."),
    ),
]:
    register_step(StepDefinition(step=_step, slug=_slug, title=_title, description=_description, pages=[GUIDANCE_PAGE]))


def step_process(request, pk: int, step_slug: str, step: Step):
    """The process ``pk`` of the request's Kommune for a page of ``step`` (404 for another step's slug).

    Step pages share one URL prefix (``…/prozesse/<pk>/<step_slug>/``); each app's views call this so a page
    answers only under its own step and the process is always looked up through the Kommune.
    """
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    if step_slug != STEPS[step].slug:
        raise Http404("Not a page of this step")
    process = get_object_or_404(request.municipality.processes.all(), pk=pk)
    process.municipality = request.municipality
    return process
