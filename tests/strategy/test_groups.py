"""Working groups (Arbeitsgruppen): services, selectors, pages per role, meetings and tasks of a group, demo."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.meetings import services as meeting_services
from daks.meetings.models import Meeting
from daks.profile.models import FieldOfAction
from daks.strategy import group_selectors, group_services, task_services
from daks.strategy.demo_groups import seed_working_groups
from daks.strategy.models import Task, TaskStatus, WorkingGroup

from ..factories import MembershipFactory, UserFactory
from .factories import ActorFactory, ProcessFactory, TaskFactory, WorkingGroupFactory

EDITORS = ["coordinator", "contributor", "advisor"]
MEMBERS = [*EDITORS, "reader"]


def url(name, municipality, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"municipality_slug": municipality.slug, **kwargs})


@pytest.fixture
def field_of_action(municipality, process):
    return FieldOfAction.objects.create(process=process, municipality=municipality, title="Wohnen", priority=1)


@pytest.fixture
def group(municipality, process, coordinator, contributor):
    return group_services.group_create(
        actor=coordinator,
        municipality=municipality,
        process=process,
        title="AG Wohnen im Alter",
        description="Barrierearmer Wohnraum",
        lead=contributor,
        members=[coordinator],
        actors=[ActorFactory(municipality=municipality, name="Seniorenbeirat")],
    )


def _starts(days=7):
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0, second=0)


# --- services -------------------------------------------------------------------------------------


def test_create_with_people_field_of_action_and_audit(municipality, process, coordinator, contributor, field_of_action):
    actor = ActorFactory(municipality=municipality)
    group = group_services.group_create(
        actor=coordinator,
        municipality=municipality,
        process=process,
        title="  AG   Wohnen ",
        field_of_action=field_of_action,
        lead=contributor,
        members=[coordinator],
        actors=[actor],
    )
    assert group.title == "AG Wohnen"
    assert (group.municipality, group.process, group.field_of_action, group.created_by) == (
        municipality,
        process,
        field_of_action,
        coordinator,
    )
    assert set(group.members.all()) == {coordinator, contributor}  # the lead always belongs to the group
    assert list(group.actors.all()) == [actor]
    entry = AuditLogEntry.objects.get(action="strategy.working_group.created")
    assert entry.data == {"process": process.pk, "working_group": group.pk}
    assert entry.municipality == municipality and entry.actor == coordinator


def test_create_refuses_a_member_of_another_municipality(municipality, process, coordinator, outsider):
    with translation.override("en"), pytest.raises(DomainError) as error:
        group_services.group_create(
            actor=coordinator, municipality=municipality, process=process, title="AG", members=[coordinator, outsider]
        )
    assert error.value.field == "members"
    assert "Only members of the municipality's team" in error.value.message
    assert (outsider.name or outsider.email) in error.value.message
    assert not WorkingGroup.objects.exists()
    assert not AuditLogEntry.objects.filter(action__startswith="strategy.working_group").exists()


def test_create_refuses_an_actor_of_another_municipality(municipality, process, coordinator, other_municipality):
    stranger = ActorFactory(municipality=other_municipality, name="Fremder Verein")
    with translation.override("en"), pytest.raises(DomainError) as error:
        group_services.group_create(
            actor=coordinator, municipality=municipality, process=process, title="AG", actors=[stranger]
        )
    assert error.value.field == "actors"
    assert "Fremder Verein" in error.value.message
    assert not WorkingGroup.objects.exists()


def test_create_refuses_lead_process_and_field_of_action_that_do_not_fit(
    municipality, process, coordinator, outsider, other_municipality, field_of_action
):
    foreign_process = ProcessFactory(municipality=other_municipality)
    other_process = ProcessFactory(municipality=municipality)
    cases = [
        ({"process": process, "lead": outsider}, "lead"),
        ({"process": foreign_process}, "process"),
        ({"process": None}, "process"),
        ({"process": other_process, "field_of_action": field_of_action}, "field_of_action"),
    ]
    for kwargs, field in cases:
        with pytest.raises(DomainError) as error:
            group_services.group_create(actor=coordinator, municipality=municipality, title="AG", **kwargs)
        assert error.value.field == field
    with pytest.raises(DomainError) as error:
        group_services.group_create(actor=coordinator, municipality=municipality, process=process, title="  ")
    assert error.value.field == "title"
    assert not WorkingGroup.objects.exists()


def test_update_members_and_actors_with_audit(group, municipality, coordinator, contributor, reader):
    actor = ActorFactory(municipality=municipality)
    group = group_services.group_update(
        actor=coordinator, group=group, expected_version=group.version, members=[reader], actors=[actor]
    )
    assert set(group.members.all()) == {reader, contributor}  # the lead stays
    assert list(group.actors.all()) == [actor]
    entry = AuditLogEntry.objects.filter(action="strategy.working_group.updated").get()
    assert entry.data["process"] == group.process_id
    assert entry.data["fields"] == ["actors", "members"]


def test_set_members_refuses_strangers_and_writes_nothing(
    group, coordinator, contributor, outsider, other_municipality
):
    before_members, before_actors = set(group.members.all()), set(group.actors.all())
    with pytest.raises(DomainError):
        group_services.group_set_members(actor=coordinator, group=group, members=[outsider])
    with pytest.raises(DomainError):
        group_services.group_set_members(
            actor=coordinator, group=group, actors=[ActorFactory(municipality=other_municipality)]
        )
    assert set(group.members.all()) == before_members and set(group.actors.all()) == before_actors
    assert not AuditLogEntry.objects.filter(action="strategy.working_group.updated").exists()
    group_services.group_set_members(actor=coordinator, group=group, members=[])
    assert list(group.members.all()) == [contributor]


def test_update_with_stale_version_is_a_conflict(group, coordinator):
    stale = group.version
    group_services.group_update(actor=coordinator, group=group, title="AG Wohnen")
    with pytest.raises(group_services.WorkingGroupEditConflict) as conflict:
        group_services.group_update(actor=coordinator, group=group, expected_version=stale, title="Überschrieben")
    assert conflict.value.current.title == "AG Wohnen"
    group.refresh_from_db()
    assert group.title == "AG Wohnen"


def test_delete_keeps_meetings_and_tasks(group, municipality, coordinator):
    meeting = meeting_services.meeting_create(
        actor=coordinator,
        municipality=municipality,
        title="Treffen",
        starts_at=_starts(),
        ends_at=_starts() + datetime.timedelta(hours=1),
        working_group=group,
    )
    task = task_services.task_create(actor=coordinator, municipality=municipality, title="X", working_group=group)
    process_pk = group.process_id
    group_services.group_delete(actor=coordinator, group=group)
    assert not WorkingGroup.objects.exists()
    meeting.refresh_from_db()
    task.refresh_from_db()
    assert meeting.working_group is None and task.working_group is None
    assert AuditLogEntry.objects.get(action="strategy.working_group.deleted").data["process"] == process_pk


def test_meeting_and_task_take_the_process_of_their_group(group, municipality, coordinator, other_municipality):
    meeting = meeting_services.meeting_create(
        actor=coordinator,
        municipality=municipality,
        title="Treffen",
        starts_at=_starts(),
        ends_at=_starts() + datetime.timedelta(hours=1),
        working_group=group,
    )
    assert (meeting.working_group, meeting.process) == (group, group.process)
    task = task_services.task_create(actor=coordinator, municipality=municipality, title="X", working_group=group)
    assert (task.working_group, task.process) == (group, group.process)
    other_process = ProcessFactory(municipality=municipality)
    with pytest.raises(DomainError) as error:
        task_services.task_create(
            actor=coordinator, municipality=municipality, title="Y", process=other_process, working_group=group
        )
    assert error.value.field == "working_group"
    with pytest.raises(DomainError):
        task_services.task_update(actor=coordinator, task=task, process=other_process)
    foreign = WorkingGroupFactory(municipality=other_municipality)
    with pytest.raises(DomainError) as error:
        meeting_services.meeting_update(actor=coordinator, meeting=meeting, working_group=foreign)
    assert error.value.field == "working_group"
    assert Task.objects.count() == 1


def test_minutes_next_steps_become_tasks_of_the_group(group, municipality, coordinator):
    meeting = meeting_services.meeting_create(
        actor=coordinator,
        municipality=municipality,
        title="Treffen",
        starts_at=_starts(),
        ends_at=_starts() + datetime.timedelta(hours=1),
        working_group=group,
    )
    (task,) = meeting_services.minutes_save(
        actor=coordinator, meeting=meeting, minutes="Protokoll", decisions="", next_steps="Umfrage vorbereiten"
    )
    assert task.working_group == group


def test_selector_counts(group, municipality, process, coordinator):
    meeting_services.meeting_create(
        actor=coordinator,
        municipality=municipality,
        title="Treffen",
        starts_at=_starts(),
        ends_at=_starts() + datetime.timedelta(hours=1),
        working_group=group,
    )
    TaskFactory(municipality=municipality, process=process, working_group=group)
    TaskFactory(municipality=municipality, process=process, working_group=group, status=TaskStatus.IN_PROGRESS)
    TaskFactory(municipality=municipality, process=process, working_group=group, status=TaskStatus.DONE)
    empty = WorkingGroupFactory(municipality=municipality, process=process, title="AG Zuletzt")
    rows = list(group_selectors.groups_for_municipality(municipality, process=process))
    assert [(g.pk, g.member_count, g.meeting_count, g.open_task_count) for g in rows] == [
        (group.pk, 2, 1, 2),
        (empty.pk, 0, 0, 0),
    ]


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MEMBERS)
def test_members_see_list_and_detail(request, login, municipality, group, role):
    client = login(request.getfixturevalue(role))
    listing = client.get(url("groups", municipality)).content.decode()
    assert group.title in listing and group.process.title in listing
    assert (url("group_create", municipality) in listing) == (role != "reader")
    detail = client.get(url("group_detail", municipality, pk=group.pk))
    assert detail.status_code == 200
    content = detail.content.decode()
    assert "Barrierearmer Wohnraum" in content and "Seniorenbeirat" in content
    assert group.lead.name in content
    assert (url("group_edit", municipality, pk=group.pk) in content) == (role != "reader")


def test_reader_gets_403_on_writes(login, municipality, process, group, reader):
    client = login(reader)
    assert client.get(url("group_create", municipality)).status_code == 403
    assert client.post(url("group_create", municipality), {"title": "X", "process": process.pk}).status_code == 403
    assert client.get(url("group_edit", municipality, pk=group.pk)).status_code == 403
    assert client.post(url("group_edit", municipality, pk=group.pk), {"title": "X"}).status_code == 403
    assert client.post(url("group_delete", municipality, pk=group.pk)).status_code == 403
    group.refresh_from_db()
    assert group.title == "AG Wohnen im Alter" and WorkingGroup.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "method", "with_pk"),
    [
        ("groups", "get", False),
        ("group_create", "get", False),
        ("group_create", "post", False),
        ("group_detail", "get", True),
        ("group_edit", "get", True),
        ("group_edit", "post", True),
        ("group_delete", "post", True),
    ],
)
def test_outsiders_and_anonymous_get_404(client, login, municipality, outsider, group, name, method, with_pk):
    kwargs = {"pk": group.pk} if with_pk else {}
    target = url(name, municipality, **kwargs)
    assert getattr(client, method)(target).status_code == 404
    assert getattr(login(outsider), method)(target, {"title": "X"}).status_code == 404
    assert WorkingGroup.objects.get().title == "AG Wohnen im Alter"


def test_group_of_another_municipality_is_404_through_own_municipality(login, municipality, coordinator, outsider):
    foreign = WorkingGroupFactory(municipality=outsider.memberships.get().municipality)
    client = login(coordinator)
    assert client.get(url("group_detail", municipality, pk=foreign.pk)).status_code == 404
    assert client.post(url("group_delete", municipality, pk=foreign.pk)).status_code == 404
    assert WorkingGroup.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("role", EDITORS)
def test_editors_create_edit_and_delete(request, login, municipality, process, field_of_action, reader, role):
    member = request.getfixturevalue(role)
    actor = ActorFactory(municipality=municipality, name="Wohnungsbaugenossenschaft")
    client = login(member)
    form = client.get(url("group_create", municipality) + f"?process={process.pk}")
    assert form.status_code == 200 and form.context["form"].initial == {"process": process}
    response = client.post(
        url("group_create", municipality),
        {
            "title": "AG Wohnen",
            "process": process.pk,
            "field_of_action": field_of_action.pk,
            "lead": member.pk,
            "members": [reader.pk],
            "actors": [actor.pk],
        },
    )
    group = WorkingGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == url("group_detail", municipality, pk=group.pk)
    assert set(group.members.all()) == {member, reader} and list(group.actors.all()) == [actor]
    page = client.get(url("group_edit", municipality, pk=group.pk))
    response = client.post(
        url("group_edit", municipality, pk=group.pk),
        {
            "title": "AG Wohnen im Alter",
            "process": process.pk,
            "members": [member.pk],
            "version": page.context["form"].initial["version"],
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.title == "AG Wohnen im Alter" and group.lead is None and group.field_of_action is None
    assert list(group.members.all()) == [member] and not group.actors.exists()
    response = client.post(url("group_delete", municipality, pk=group.pk))
    assert response["Location"] == url("groups", municipality) + f"?process={process.pk}"
    assert not WorkingGroup.objects.exists()


def test_form_refuses_people_of_another_municipality_with_a_message(
    login, municipality, process, coordinator, outsider, other_municipality
):
    stranger = ActorFactory(municipality=other_municipality)
    response = login(coordinator).post(
        url("group_create", municipality),
        {"title": "AG", "process": process.pk, "members": [outsider.pk], "actors": [stranger.pk]},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"members", "actors"}
    assert "gültige Auswahl" in errors["members"][0]
    assert 'id="id_members_error"' in response.content.decode()
    assert not WorkingGroup.objects.exists()


def test_form_shows_domain_error_of_the_service(login, municipality, process, coordinator, field_of_action):
    other_process = ProcessFactory(municipality=municipality)
    response = login(coordinator).post(
        url("group_create", municipality),
        {"title": "AG", "process": other_process.pk, "field_of_action": field_of_action.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["field_of_action"] == [
        "The field of action does not belong to the strategy process of the working group."
    ]
    assert not WorkingGroup.objects.exists()


def test_edit_conflict_shows_current_values_and_writes_nothing(login, municipality, group, coordinator, contributor):
    client = login(contributor)
    stale = client.get(url("group_edit", municipality, pk=group.pk)).context["form"].initial["version"]
    group_services.group_update(actor=coordinator, group=group, title="AG Wohnen (neu)")
    data = {"title": "Mein Titel", "process": group.process_id, "members": [contributor.pk], "version": stale}
    response = client.post(url("group_edit", municipality, pk=group.pk), data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "inzwischen" in response.content.decode() or "in the meantime" in response.content.decode()
    assert ("Titel", "AG Wohnen (neu)") in [(str(label), value) for label, value in response.context["form"].conflicts]
    group.refresh_from_db()
    assert group.title == "AG Wohnen (neu)"
    # the form now carries the current version: saving again keeps the user's input
    data["version"] = response.context["form"].data["version"]
    assert client.post(url("group_edit", municipality, pk=group.pk), data).status_code == 302
    group.refresh_from_db()
    assert group.title == "Mein Titel"


def test_list_filter_by_process(login, municipality, process, group, reader):
    other = WorkingGroupFactory(municipality=municipality, title="AG Mobilität")
    client = login(reader)
    content = client.get(url("groups", municipality)).content.decode()
    assert group.title in content and "AG Mobilität" in content
    content = client.get(url("groups", municipality) + f"?process={process.pk}").content.decode()
    assert group.title in content and other.title not in content
    content = client.get(url("groups", municipality) + "?process=999999").content.decode()
    assert group.title in content and other.title in content  # an invalid filter is ignored


def test_list_query_count_is_constant(login, municipality, process, coordinator, django_assert_num_queries):
    def add_group(number):
        group = WorkingGroupFactory(municipality=municipality, process=process, lead=coordinator)
        group.members.add(coordinator)
        group.actors.add(ActorFactory(municipality=municipality))
        TaskFactory(municipality=municipality, process=process, working_group=group)
        Meeting.objects.create(
            municipality=municipality,
            working_group=group,
            title=f"Treffen {number}",
            starts_at=_starts(),
            ends_at=_starts() + datetime.timedelta(hours=1),
        )

    add_group(0)
    client = login(coordinator)
    target = url("groups", municipality) + f"?process={process.pk}"
    with CaptureQueriesContext(connection) as one:
        assert client.get(target).status_code == 200
    for number in range(1, 5):
        add_group(number)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(target)
    assert sum(len(groups) for _process, groups in response.context["by_process"]) == 5
    assert len(one.captured_queries) <= 10


def test_meeting_created_for_a_group_appears_on_the_group_page(login, municipality, group, coordinator, reader):
    client = login(coordinator)
    create = reverse("meetings:create", kwargs={"municipality_slug": municipality.slug})
    form = client.get(f"{create}?working_group={group.pk}")
    assert form.context["form"].initial["working_group"] == group
    assert form.context["form"].initial["process"] == group.process
    response = client.post(
        create,
        {
            "title": "Zweites Treffen der AG",
            "starts_at": "2030-05-04T18:00",
            "ends_at": "2030-05-04T20:00",
            "working_group": group.pk,
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.working_group, meeting.process) == (group, group.process)
    detail_url = reverse("meetings:detail", kwargs={"municipality_slug": municipality.slug, "pk": meeting.pk})
    assert url("group_detail", municipality, pk=group.pk) in client.get(detail_url).content.decode()
    meeting_services.minutes_save(actor=coordinator, meeting=meeting, minutes="Protokoll", decisions="")
    page = login(reader).get(url("group_detail", municipality, pk=group.pk))
    content = page.content.decode()
    assert "Zweites Treffen der AG" in content and detail_url in content
    assert [m.has_minutes for m in page.context["meetings"]] == [True]
    assert f"{create}?working_group={group.pk}" not in content  # readers get no "new meeting" button
    editor_page = login(coordinator).get(url("group_detail", municipality, pk=group.pk)).content.decode()
    assert f"{create}?working_group={group.pk}" in editor_page
    assert url("task_create", municipality) + f"?working_group={group.pk}" in editor_page


def test_meeting_list_filter_by_group(login, municipality, group, reader, coordinator):
    for title, working_group in (("Treffen der AG", group), ("Plenum", None)):
        meeting_services.meeting_create(
            actor=coordinator,
            municipality=municipality,
            title=title,
            starts_at=_starts(),
            ends_at=_starts() + datetime.timedelta(hours=1),
            working_group=working_group,
        )
    client = login(reader)
    listing = reverse("meetings:list", kwargs={"municipality_slug": municipality.slug})
    content = client.get(listing).content.decode()
    assert "Treffen der AG" in content and "Plenum" in content
    content = client.get(f"{listing}?working_group={group.pk}").content.decode()
    assert "Treffen der AG" in content and "Plenum" not in content


def test_task_form_and_filter_by_group(login, municipality, group, coordinator, other_municipality):
    client = login(coordinator)
    form = client.get(url("task_create", municipality) + f"?working_group={group.pk}")
    assert form.context["form"].initial == {"working_group": group, "process": group.process}
    foreign = WorkingGroupFactory(municipality=other_municipality)
    form = client.get(url("task_create", municipality) + f"?working_group={foreign.pk}")
    assert form.context["form"].initial == {}
    data = {"title": "Umfrage vorbereiten", "working_group": group.pk}
    response = client.post(url("task_create", municipality), data)
    assert response.status_code == 302
    TaskFactory(municipality=municipality, title="Aufgabe ohne Gruppe")
    task = Task.objects.get(title="Umfrage vorbereiten")
    assert (task.working_group, task.process) == (group, group.process)
    content = client.get(url("tasks", municipality) + f"?working_group={group.pk}").content.decode()
    assert "Umfrage vorbereiten" in content and "Aufgabe ohne Gruppe" not in content
    content = client.get(url("tasks", municipality)).content.decode()
    assert "Umfrage vorbereiten" in content and "Aufgabe ohne Gruppe" in content
    response = client.post(url("task_create", municipality), {"title": "Fremd", "working_group": foreign.pk})
    assert response.status_code == 200 and "working_group" in response.context["form"].errors
    detail = client.get(url("group_detail", municipality, pk=group.pk)).content.decode()
    assert "Umfrage vorbereiten" in detail and "Aufgabe ohne Gruppe" not in detail


def test_process_overview_links_to_its_groups(login, municipality, process, reader):
    content = login(reader).get(url("overview", municipality, pk=process.pk)).content.decode()
    assert url("groups", municipality) + f"?process={process.pk}" in content


# --- demo -----------------------------------------------------------------------------------------


def test_seed_working_groups_is_idempotent(municipality, process, coordinator):
    from daks.municipalities.models import Role

    contributor = UserFactory(email="mitarbeit@beispielstadt.example")
    MembershipFactory(municipality=municipality, user=contributor, role=Role.CONTRIBUTOR)
    ActorFactory(municipality=municipality, name="Seniorenbeirat")
    FieldOfAction.objects.create(process=process, municipality=municipality, title="Wohnen")
    for _round in range(2):
        groups = seed_working_groups(municipality, process, coordinator)
    assert WorkingGroup.objects.count() == 2 and Meeting.objects.count() == 1 and Task.objects.count() == 1
    housing = groups[0]
    assert housing.field_of_action.title == "Wohnen" and housing.lead == contributor
    assert list(housing.members.all()) == [contributor]
    assert [actor.name for actor in housing.actors.all()] == ["Seniorenbeirat"]
    meeting = housing.meetings.get()
    assert meeting.minutes and meeting.ends_at < timezone.now()
    assert housing.tasks.get().status == TaskStatus.OPEN
    assert groups[1].field_of_action is None  # "Gesundheit und Pflege" does not exist here
