import pytest

from daks.strategy import services
from daks.strategy.defaults import CHECKLISTS, GUIDANCE
from daks.strategy.models import ChecklistItem, Step, StepGuidance
from daks.strategy.selectors import forget_snapshot
from daks.strategy.steps import STEPS, all_steps, register_criterion, step_by_slug, toolbox_tools

pytestmark = pytest.mark.django_db


def test_registry_has_five_steps_in_order():
    assert [d.slug for d in all_steps()] == [
        "kick-off", "kommunalprofil", "zukunftswerkstatt", "werkstattplan", "zwischenbilanz",
    ]  # fmt: skip
    assert [d.number for d in all_steps()] == [1, 2, 3, 4, 5]
    assert step_by_slug("werkstattplan").step == Step.PLAN
    assert step_by_slug("nope") is None


def test_defaults_from_migration():
    assert StepGuidance.objects.count() == 5
    for step, items in CHECKLISTS.items():
        assert 4 <= len(items) <= 6
        assert ChecklistItem.objects.filter(step=step).count() == len(items)


def test_ensure_default_guidance_recreates_after_flush():
    from daks.strategy.defaults import ensure_default_guidance

    StepGuidance.objects.all().delete()
    ChecklistItem.objects.all().delete()
    ensure_default_guidance()
    ensure_default_guidance()  # idempotent
    assert StepGuidance.objects.count() == len(GUIDANCE)
    assert ChecklistItem.objects.count() == sum(len(items) for items in CHECKLISTS.values())


def test_progress_and_next_actions(process, coordinator):
    kickoff = STEPS[Step.KICKOFF]
    assert kickoff.progress(process) == (0, 5)
    assert [e.item.code for e in kickoff.next_actions(process)] == ["leadership", "team", "actors"]
    item = ChecklistItem.objects.get(step=Step.KICKOFF, code="team")
    services.checklist_tick(actor=coordinator, process=process, step=Step.KICKOFF, item_id=item.pk)
    assert kickoff.progress(process) == (1, 5)
    assert [e.item.code for e in kickoff.next_actions(process)] == ["leadership", "actors", "event"]


def test_optional_and_inactive_items_do_not_count(process, coordinator):
    plan = STEPS[Step.PLAN]
    assert plan.progress(process) == (0, 6)  # the council resolution is optional; +2 plan criteria
    optional = ChecklistItem.objects.get(step=Step.PLAN, code="resolution")
    services.checklist_tick(actor=coordinator, process=process, step=Step.PLAN, item_id=optional.pk)
    assert plan.progress(process) == (0, 6)
    ChecklistItem.objects.filter(step=Step.PLAN, code="goals").update(active=False)
    forget_snapshot(process)
    assert plan.progress(process) == (0, 5)


def test_registered_criterion_adds_to_progress(process):
    review = STEPS[Step.REVIEW]
    register_criterion(Step.REVIEW, lambda p: (1, 2))
    try:
        assert review.progress(process) == (1, 6)
    finally:
        review.criteria.pop()


def test_page_links_and_toolbox_hook(process):
    (label, link), *_more = STEPS[Step.KICKOFF].page_links(process)  # later issues add pages (e.g. actors)
    assert str(label) == "Leitfaden und Checkliste"  # German is the default language
    assert link == f"/kommunen/musterstadt/prozesse/{process.pk}/kick-off/"
    assert toolbox_tools(Step.KICKOFF) == []
