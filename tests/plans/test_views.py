import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from daks.core.models import AuditLogEntry
from daks.plans.models import Goal, Measure, MeasureStatus, SavedFilter

from .factories import ActorFactory, FieldOfActionFactory, GoalFactory, MeasureFactory, MilestoneFactory


@pytest.fixture
def field(plan):
    return FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1)


@pytest.fixture
def measure(plan, field):
    return MeasureFactory(plan=plan, field_of_action=field, title="Wohnberatung")


def _measure_post(field, **extra):
    data = {
        "title": "Quartiersbus",
        "field_of_action": field.pk,
        "priority": "medium",
        "status": "planned",
        "progress": "0",
        "budget_own": "1000",
        "budget_third_party": "",
        "budget_secured": "500",
        "start_date": "2026-04-01",
        "end_date": "2027-03-31",
        "milestones-TOTAL_FORMS": "3",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "3",
        "milestones-0-title": "Ausschreibung",
        "milestones-0-due_date": "2026-06-01",
    }
    data.update(extra)
    return data


READ_PAGES = [
    ("plans:document", {}),
    ("plans:goals", {}),
    ("plans:measures", {}),
    ("plans:kanban", {}),
    ("plans:my_measures", {}),
    ("plans:measure_detail", {"measure_pk": None}),
]


@pytest.mark.parametrize(("name", "extra"), READ_PAGES)
@pytest.mark.parametrize("role", ["coordinator", "contributor", "reader", "advisor"])
def test_members_read_every_page(request, role, name, extra, login, plan_url, measure):
    kwargs = dict.fromkeys(extra, measure.pk)
    response = login(request.getfixturevalue(role)).get(plan_url(name, **kwargs))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "extra"), READ_PAGES)
def test_outsider_and_anonymous_get_404(name, extra, outsider, login, client, plan_url, measure):
    kwargs = dict.fromkeys(extra, measure.pk)
    url = plan_url(name, **kwargs)
    assert client.get(url).status_code == 404  # anonymous: the Kommune's workspace is not revealed
    assert login(outsider).get(url).status_code == 404


def test_wrong_step_slug_and_foreign_process_404(coordinator, login, process, other_process, municipality):
    client = login(coordinator)
    kwargs = {"municipality_slug": municipality.slug, "pk": process.pk}
    assert client.get(reverse("plans:document", kwargs={**kwargs, "step_slug": "kommunalprofil"})).status_code == 404
    kwargs["pk"] = other_process.pk
    assert client.get(reverse("plans:document", kwargs={**kwargs, "step_slug": "werkstattplan"})).status_code == 404


@pytest.mark.parametrize("role", ["coordinator", "contributor"])
def test_editors_create_measure_with_milestone(request, role, login, plan_url, field):
    goal = GoalFactory(plan=field.process.plan, field_of_action=field)
    actor = ActorFactory(municipality=field.municipality)
    client = login(request.getfixturevalue(role))
    response = client.post(
        plan_url("plans:measure_create"),
        _measure_post(field, goals=[goal.pk], partners=[actor.pk], target_groups=["seniors", "youth"]),
    )
    measure = Measure.objects.get()
    assert response.status_code == 302
    assert response.url == plan_url("plans:measure_detail", measure_pk=measure.pk)
    assert list(measure.goals.all()) == [goal]
    assert list(measure.partners.all()) == [actor]
    assert measure.target_groups == ["youth", "seniors"]
    assert measure.milestones.get().title == "Ausschreibung"


def test_invalid_measure_shows_german_error_and_writes_nothing(coordinator, login, plan_url, field):
    response = login(coordinator).post(plan_url("plans:measure_create"), _measure_post(field, budget_secured="5000"))
    assert response.status_code == 422
    assert 'id="id_budget_secured_error"' in response.content.decode()
    assert not Measure.objects.exists()


def test_reader_cannot_write(reader, login, plan_url, field, measure):
    client = login(reader)
    posts = [
        plan_url("plans:measure_create"),
        plan_url("plans:measure_edit", measure_pk=measure.pk),
        plan_url("plans:measure_delete", measure_pk=measure.pk),
        plan_url("plans:measure_status", measure_pk=measure.pk),
        plan_url("plans:measure_move", measure_pk=measure.pk),
        plan_url("plans:milestone_add", measure_pk=measure.pk),
        plan_url("plans:goal_create"),
        plan_url("plans:text_edit"),
        plan_url("plans:saved_filter_create"),
    ]
    for url in posts:
        assert client.post(url, _measure_post(field, status="done")).status_code == 403, url
    assert client.get(plan_url("plans:measure_edit", measure_pk=measure.pk)).status_code == 403
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED
    content = client.get(plan_url("plans:kanban")).content.decode()
    assert 'name="status"' not in content


def test_forged_pks_of_another_kommune(coordinator, login, plan_url, field, other_plan):
    foreign_field = FieldOfActionFactory(process=other_plan.process)
    foreign_measure = MeasureFactory(plan=other_plan, field_of_action=foreign_field)
    foreign_goal = GoalFactory(plan=other_plan, field_of_action=foreign_field)
    foreign_actor = ActorFactory(municipality=other_plan.municipality)
    foreign_milestone = MilestoneFactory(measure=foreign_measure)
    client = login(coordinator)
    for name, kwargs in [
        ("plans:measure_detail", {"measure_pk": foreign_measure.pk}),
        ("plans:measure_edit", {"measure_pk": foreign_measure.pk}),
        ("plans:goal_edit", {"goal_pk": foreign_goal.pk}),
    ]:
        assert client.get(plan_url(name, **kwargs)).status_code == 404
    for name, kwargs in [
        ("plans:measure_status", {"measure_pk": foreign_measure.pk}),
        ("plans:measure_delete", {"measure_pk": foreign_measure.pk}),
        ("plans:goal_delete", {"goal_pk": foreign_goal.pk}),
        ("plans:milestone_add", {"measure_pk": foreign_measure.pk}),
    ]:
        assert client.post(plan_url(name, **kwargs), {"status": "done"}).status_code == 404
    own = MeasureFactory(plan=field.process.plan, field_of_action=field)
    url = plan_url("plans:milestone_toggle", measure_pk=own.pk, milestone_pk=foreign_milestone.pk)
    assert client.post(url).status_code == 404
    for extra in (
        {"goals": [foreign_goal.pk]},
        {"partners": [foreign_actor.pk]},
        {"field_of_action": foreign_field.pk},
    ):
        response = client.post(plan_url("plans:measure_create"), _measure_post(field, **extra))
        assert response.status_code == 422
    response = client.post(plan_url("plans:goal_create"), {"field_of_action": foreign_field.pk, "title": "Ziel"})
    assert response.status_code == 422
    assert Measure.objects.filter(plan=field.process.plan).count() == 1
    assert not Goal.objects.filter(plan=field.process.plan).exists()
    foreign_measure.refresh_from_db()
    assert foreign_measure.status == MeasureStatus.PLANNED


def test_measure_edit_conflict_shows_both_versions(coordinator, contributor, login, plan_url, field, measure):
    url = plan_url("plans:measure_edit", measure_pk=measure.pk)
    stale = measure.version
    login(contributor).post(url, {**_measure_post(field, title="Von Max"), "version": stale})
    response = login(coordinator).post(url, {**_measure_post(field, title="Von Katrin"), "version": stale})
    assert response.status_code == 422
    content = response.content.decode()
    assert "Von Max" in content and "Von Katrin" in content
    measure.refresh_from_db()
    assert measure.title == "Von Max"
    # Saving again with the version shown now keeps the user's input.
    version = response.context["form"].data["version"]
    response = login(coordinator).post(url, {**_measure_post(field, title="Von Katrin"), "version": version})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Von Katrin"


def test_document_renders_sanitised_text_and_numbers(coordinator, login, plan_url, plan, field, measure):
    plan.vision = "**Beispielstadt 2040** <script>alert(1)</script>"
    plan.save()
    GoalFactory(plan=plan, field_of_action=field, title="Mehr Wohnungen", indicator_code="share_65_plus")
    content = login(coordinator).get(plan_url("plans:document")).content.decode()
    assert "<strong>Beispielstadt 2040</strong>" in content
    assert "<script>alert" not in content
    assert "1.1.1</span> Mehr Wohnungen" in content
    assert "1.2.1</span>" in content


def test_text_edit_saves(coordinator, login, plan_url, plan):
    response = login(coordinator).post(
        plan_url("plans:text_edit"), {"vision": "Leitbild", "introduction": "Einleitung", "version": plan.version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.vision, plan.introduction) == ("Leitbild", "Einleitung")


def test_goal_crud(coordinator, login, plan_url, plan, field):
    client = login(coordinator)
    response = client.post(
        plan_url("plans:goal_create"),
        {
            "field_of_action": field.pk,
            "title": "Pflegeplätze",
            "indicator_name": "Plätze",
            "unit": "Plätze",
            "baseline_value": "12",
            "baseline_year": "2025",
            "target_value": "30",
            "target_year": "2030",
        },
    )
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert "Pflegeplätze" in client.get(plan_url("plans:goals")).content.decode()
    response = client.post(
        plan_url("plans:goal_edit", goal_pk=goal.pk),
        {
            "field_of_action": field.pk,
            "title": "Mehr Pflegeplätze",
            "indicator_name": "Plätze",
            "unit": "Plätze",
            "version": goal.version,
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Mehr Pflegeplätze" and goal.baseline_value is None
    response = client.post(
        plan_url("plans:goal_create"), {"field_of_action": field.pk, "title": "X", "indicator_name": "Ohne Einheit"}
    )
    assert response.status_code == 422
    assert client.post(plan_url("plans:goal_delete", goal_pk=goal.pk)).status_code == 302
    assert not Goal.objects.exists()


def test_move_in_document_with_htmx(coordinator, login, plan_url, plan, field):
    first = MeasureFactory(plan=plan, field_of_action=field, title="Erste", position=1)
    second = MeasureFactory(plan=plan, field_of_action=field, title="Zweite", position=2)
    response = login(coordinator).post(
        plan_url("plans:measure_move", measure_pk=second.pk), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section class="plan-chapter"')
    assert f'data-focus-key="measure-up-{second.pk}"' in content
    assert content.index("Zweite") < content.index("Erste")
    response = login(coordinator).post(plan_url("plans:measure_move", measure_pk=first.pk), {"direction": "up"})
    assert response.status_code == 302
    assert response.url.endswith(f"#measure-{first.pk}")


def test_measures_table_filters_sorting_and_aria_sort(coordinator, login, plan_url, plan, field):
    MeasureFactory(plan=plan, field_of_action=field, title="Alpha", status=MeasureStatus.DONE)
    MeasureFactory(plan=plan, field_of_action=field, title="Beta", status=MeasureStatus.PLANNED)
    client = login(coordinator)
    content = client.get(plan_url("plans:measures") + "?status=planned").content.decode()
    assert "Beta" in content and "Alpha" not in content
    content = client.get(plan_url("plans:measures") + "?sort=-title").content.decode()
    assert content.index("Beta") < content.index("Alpha")
    assert 'aria-sort="descending"' in content
    assert "sort=title" in content  # the header link toggles the direction
    response = client.get(plan_url("plans:measures") + "?sort=drop+table&year=abc&field=x")
    assert response.status_code == 200


def test_saved_filter_is_listed_for_the_team(coordinator, reader, login, plan_url, plan):
    response = login(coordinator).post(
        plan_url("plans:saved_filter_create"), {"name": "Überfällige", "query": "overdue=1&sort=end"}
    )
    assert response.status_code == 302
    assert response.url.endswith("?overdue=1&sort=end")
    saved = SavedFilter.objects.get()
    assert saved.created_by == coordinator
    content = login(reader).get(plan_url("plans:measures")).content.decode()
    assert 'href="?overdue=1&amp;sort=end"' in content and "Überfällige" in content
    response = login(coordinator).post(plan_url("plans:saved_filter_delete", filter_pk=saved.pk))
    assert response.status_code == 302
    assert not SavedFilter.objects.exists()


def test_milestones_htmx_and_fallback(coordinator, login, plan_url, measure):
    client = login(coordinator)
    url = plan_url("plans:milestone_add", measure_pk=measure.pk)
    response = client.post(
        url, {"milestone-title": "Beschluss", "milestone-due_date": "2026-05-01"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="milestones"') and "Beschluss" in content
    milestone = measure.milestones.get()
    response = client.post(plan_url("plans:milestone_toggle", measure_pk=measure.pk, milestone_pk=milestone.pk))
    assert response.status_code == 302 and response.url.endswith("#milestones")
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    response = client.post(url, {"milestone-title": "Ohne Datum"}, HTTP_HX_REQUEST="true")
    assert "field--error" in response.content.decode()
    response = client.post(plan_url("plans:milestone_delete", measure_pk=measure.pk, milestone_pk=milestone.pk))
    assert response.status_code == 302
    assert not measure.milestones.exists()
    assert AuditLogEntry.objects.filter(action="plans.milestone.deleted", data__measure=measure.pk).exists()


def test_my_measures_page_and_dashboard(contributor, login, plan_url, plan, field):
    MeasureFactory(plan=plan, field_of_action=field, title="Meine Maßnahme", responsible_person=contributor)
    MeasureFactory(plan=plan, field_of_action=field, title="Fremde Maßnahme")
    client = login(contributor)
    content = client.get(plan_url("plans:my_measures")).content.decode()
    assert "Meine Maßnahme" in content and "Fremde Maßnahme" not in content
    content = client.get(reverse("core:dashboard")).content.decode()
    assert "Meine Maßnahme" in content and "Fremde Maßnahme" not in content


def test_step_lists_plan_pages(coordinator, login, process):
    from daks.strategy.models import Step
    from daks.strategy.steps import STEPS

    labels = [str(label) for label, _url in STEPS[Step.PLAN].page_links(process)]
    assert len(labels) >= 5  # guidance + plan, goals, measures, kanban


# --- Pinned query counts ----------------------------------------------------------------------------


def _build(plan, count, person):
    fields = [FieldOfActionFactory(process=plan.process, priority=i) for i in (1, 2)]
    goals = [GoalFactory(plan=plan, field_of_action=f) for f in fields]
    actor = ActorFactory(municipality=plan.municipality)
    for index in range(count):
        measure = MeasureFactory(
            plan=plan,
            field_of_action=fields[index % 2],
            goals=goals,
            partners=[actor],
            responsible_person=person,
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2025, 1, 1),
        )
        MilestoneFactory(measure=measure)


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(("name", "pinned"), [("plans:measures", 14), ("plans:kanban", 12), ("plans:document", 14)])
def test_query_counts_do_not_grow(name, pinned, coordinator, login, plan_url, plan, django_assert_num_queries):
    client = login(coordinator)
    _build(plan, 2, coordinator)
    client.get(plan_url(name))  # warm up (session, caches)
    small = _count(client, plan_url(name))
    _build(plan, 8, coordinator)
    assert Measure.objects.count() == 10
    large = _count(client, plan_url(name))
    assert small == large
    with django_assert_num_queries(pinned):
        client.get(plan_url(name))
