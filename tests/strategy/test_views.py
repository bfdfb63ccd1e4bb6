import datetime

import pytest
from django.urls import reverse

from daks.core.models import AuditLogEntry
from daks.strategy import services
from daks.strategy.models import ChecklistItem, ChecklistTick, Step, StepStatus, StrategyProcess

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "contributor", "advisor", "reader", "outsider", "anonymous"]


def _client(request, client, login, role):
    if role == "anonymous":
        return client
    return login(request.getfixturevalue(role))


def url(name, process=None, **kwargs):
    kwargs["municipality_slug"] = "musterstadt"
    if process is not None:
        kwargs["pk"] = process.pk
    return reverse(f"strategy:{name}", kwargs=kwargs)


VIEW_ACCESS = {  # role -> expected status
    "view": {"coordinator": 200, "contributor": 200, "advisor": 200, "reader": 200, "outsider": 404, "anonymous": 404},
    "edit": {"coordinator": 200, "contributor": 200, "advisor": 200, "reader": 403, "outsider": 404, "anonymous": 404},
    "coord": {"coordinator": 200, "contributor": 403, "advisor": 403, "reader": 403, "outsider": 404, "anonymous": 404},
}
PAGES = [
    ("list", False, {}, "view"),
    ("create", False, {}, "edit"),
    ("overview", True, {}, "view"),
    ("edit", True, {}, "edit"),
    ("delete", True, {}, "coord"),
    ("step", True, {"step_slug": "kick-off"}, "view"),
    ("step", True, {"step_slug": "zwischenbilanz"}, "view"),
    ("document", True, {"step_slug": "kick-off", "identifier": "einladung-kick-off", "extension": "odt"}, "view"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "with_process", "kwargs", "access"), PAGES)
def test_access_per_role(request, client, login, process, role, name, with_process, kwargs, access):
    response = _client(request, client, login, role).get(url(name, process if with_process else None, **kwargs))
    assert response.status_code == VIEW_ACCESS[access][role]


def test_process_of_other_municipality_is_404(login, coordinator, outsider, other_municipality):
    other = services.process_create(
        actor=outsider, municipality=other_municipality, title="Fremd", start_date=datetime.date(2026, 1, 1)
    )
    client = login(coordinator)
    assert client.get(f"/kommunen/musterstadt/prozesse/{other.pk}/").status_code == 404
    assert client.get(url("step", other, step_slug="kick-off")).status_code == 404


def test_unknown_step_is_404(login, coordinator, process):
    assert login(coordinator).get(url("step", process, step_slug="unbekannt")).status_code == 404


def test_create_via_form(login, contributor, coordinator, municipality):
    client = login(contributor)
    response = client.post(
        url("create"),
        {"title": "Quartier Nord", "scope": "", "region_key": "", "start_date": "2026-04-01",
         "coordinators": [coordinator.pk, contributor.pk]},
    )  # fmt: skip
    process = StrategyProcess.objects.get()
    assert response.status_code == 302 and response["Location"] == url("overview", process)
    assert set(process.coordinators.all()) == {coordinator, contributor}


def test_edit_conflict_shows_both_versions(login, coordinator, contributor, process):
    client = login(coordinator)
    page = client.get(url("edit", process))
    stale = page.context["form"].initial["version"]
    services.process_update(actor=contributor, process=process, title="Von Kollegin geändert")
    response = client.post(
        url("edit", process),
        {"title": "Meine Fassung", "start_date": "2026-03-01", "coordinators": [coordinator.pk], "version": stale},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Meine Fassung" in content and "Von Kollegin geändert" in content
    process.refresh_from_db()
    assert process.title == "Von Kollegin geändert"
    # the form now carries the current version: saving again succeeds
    fresh = response.context["form"].data["version"]
    response = client.post(
        url("edit", process),
        {"title": "Meine Fassung", "start_date": "2026-03-01", "coordinators": [coordinator.pk], "version": fresh},
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.title == "Meine Fassung"


def test_tick_without_js_and_with_htmx(login, contributor, process):
    client = login(contributor)
    item = ChecklistItem.objects.get(step=Step.KICKOFF, code="team")
    response = client.post(url("checklist_toggle", process, step_slug="kick-off"), {"item": item.pk, "ticked": "on"})
    assert response.status_code == 302
    assert ChecklistTick.objects.filter(process=process, item=item).exists()
    response = client.post(
        url("checklist_toggle", process, step_slug="kick-off"), {"item": item.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b'id="checklist"' in response.content and b"<h1" not in response.content
    assert not ChecklistTick.objects.exists()


def test_reader_cannot_tick(login, reader, process):
    item = ChecklistItem.objects.get(step=Step.KICKOFF, code="team")
    response = login(reader).post(
        url("checklist_toggle", process, step_slug="kick-off"), {"item": item.pk, "ticked": "on"}
    )
    assert response.status_code == 403
    assert not ChecklistTick.objects.exists()


def test_status_buttons_per_role(login, contributor, coordinator, process):
    client = login(contributor)
    client.post(url("step_status", process, step_slug="kick-off"), {"status": "done"})
    assert process.step_states.get(step=Step.KICKOFF).status == StepStatus.OPEN
    client.post(url("step_status", process, step_slug="kick-off"), {"status": "in_progress"})
    assert process.step_states.get(step=Step.KICKOFF).status == StepStatus.IN_PROGRESS
    login(coordinator).post(url("step_status", process, step_slug="kick-off"), {"status": "done"})
    assert process.step_states.get(step=Step.KICKOFF).status == StepStatus.DONE


def test_delete_via_post(login, coordinator, process):
    response = login(coordinator).post(url("delete", process))
    assert response.status_code == 302 and not StrategyProcess.objects.exists()


def test_step_page_shows_guidance_checklist_documents_no_toolbox(login, reader, process):
    response = login(reader).get(url("step", process, step_slug="kick-off"), HTTP_ACCEPT_LANGUAGE="de")
    content = response.content.decode()
    assert "Verwaltungsspitze nimmt teil (Legitimation)" in content
    assert "<strong>Die Spitze fehlt:</strong>" in content  # Markdown rendered
    assert "einladung-kick-off.docx" in content
    assert 'id="toolbox-heading"' not in content
    assert 'name="ticked"' not in content  # readers see no tick buttons
    assert "<progress" in content


def test_overview_shows_steps_progress_and_activity(login, coordinator, process):
    item = ChecklistItem.objects.get(step=Step.KICKOFF, code="team")
    services.checklist_tick(actor=coordinator, process=process, step=Step.KICKOFF, item_id=item.pk)
    response = login(coordinator).get(url("overview", process), HTTP_ACCEPT_LANGUAGE="de")
    content = response.content.decode()
    assert content.count("<progress") == 5
    assert 'value="1"' in content
    assert "Koordinierendes Team ist benannt" in content  # activity
    assert len(response.context["activity"]) == 2


def _tick_all(process, user):
    for item in ChecklistItem.objects.all():
        services.checklist_tick(actor=user, process=process, step=item.step, item_id=item.pk)
    for step in Step.values:
        services.step_set_status(actor=user, process=process, step=step, status=StepStatus.DONE)


def test_overview_query_count_is_constant(login, coordinator, process, django_assert_max_num_queries):
    client = login(coordinator)
    # incl. the progress criteria of all steps, the comment thread (+ handles) and the notification badge
    with django_assert_max_num_queries(18) as empty:
        client.get(url("overview", process))
    _tick_all(process, coordinator)
    with django_assert_max_num_queries(len(empty.captured_queries)):
        client.get(url("overview", process))


def test_activity_limited_to_process(login, coordinator, process, municipality):
    other = services.process_create(
        actor=coordinator, municipality=municipality, title="Zweiter", start_date=datetime.date(2026, 1, 1)
    )
    response = login(coordinator).get(url("overview", process))
    assert [e.data["process"] for e in response.context["activity"]] == [process.pk]
    assert AuditLogEntry.objects.filter(data__process=other.pk).exists()


def test_municipality_page_links_processes(login, reader):
    response = login(reader).get("/kommunen/musterstadt/")
    assert url("list").encode() in response.content
