import datetime

import pytest

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.profile import selectors, services
from daks.profile.models import Interview, SwotItem
from tests.strategy.factories import ActorFactory

from .factories import InterviewFactory

pytestmark = pytest.mark.django_db


def interview_data(**extra):
    return {"interviewee": "Leiterin der Tafel", "status": "planned", **extra}


@pytest.mark.parametrize("role", ["coordinator", "contributor", "advisor"])
def test_editors_record_interview_with_actor(request, role, login, urls, process):
    user = request.getfixturevalue(role)
    actor = ActorFactory(municipality=process.municipality, name="Seniorenbeirat")
    client = login(user)
    assert client.get(urls("interview_create")).status_code == 200
    response = client.post(
        urls("interview_create"),
        {
            "actor": actor.pk,
            "status": "done",
            "date": "2026-04-02",
            "interviewer": user.pk,
            "summary": "Der Beirat wünscht sich mehr Bänke.",
            "key_statements": "  Mehr Sitzgelegenheiten  \n\nBarrierefreie Haltestellen\n",
        },
    )
    interview = Interview.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#interview-{interview.pk}")
    assert interview.actor == actor and interview.interviewer == user and interview.date == datetime.date(2026, 4, 2)
    assert interview.statements == ["Mehr Sitzgelegenheiten", "Barrierefreie Haltestellen"]
    assert AuditLogEntry.objects.get(action="profile.interview.created").data["process"] == process.pk
    content = client.get(urls("interviews")).content.decode()
    assert "Seniorenbeirat" in content and "<li>Barrierefreie Haltestellen</li>" in content


def test_free_text_interviewee_and_prefilled_actor(coordinator, login, urls, process):
    actor = ActorFactory(municipality=process.municipality, name="Grundschule")
    client = login(coordinator)
    form = client.get(urls("interview_create"), {"akteur": actor.pk}).context["form"]
    assert form.initial["actor"] == actor.pk and form.initial["interviewer"] == coordinator.pk
    assert client.post(urls("interview_create"), interview_data()).status_code == 302
    assert Interview.objects.get().interviewee == "Leiterin der Tafel"


def test_invalid_input_writes_nothing(coordinator, outsider, login, urls, process):
    foreign_actor = ActorFactory(municipality=outsider.memberships.get().municipality, name="Fremd")
    client = login(coordinator)
    for data in (
        interview_data(interviewee=""),  # with nobody
        interview_data(status="done"),  # done without a date
        interview_data(actor=foreign_actor.pk),  # an actor of another Kommune
        interview_data(interviewer=outsider.pk),  # not a member
        interview_data(date="31.02.2026"),
        interview_data(status="vergessen"),
    ):
        response = client.post(urls("interview_create"), data)
        assert response.status_code == 200 and "field__error" in response.content.decode(), data
    assert not Interview.objects.exists()
    kwargs = {"actor": coordinator, "municipality": process.municipality, "process": process}
    with pytest.raises(DomainError):
        services.interview_create(**kwargs, interviewee_actor=foreign_actor)
    with pytest.raises(DomainError):
        services.interview_create(**kwargs, interviewee="X", interviewer=outsider)
    assert not Interview.objects.exists()


def test_reader_reads_but_cannot_write(reader, login, urls, process):
    interview = InterviewFactory(process=process)
    client = login(reader)
    content = client.get(urls("interviews")).content.decode()
    assert interview.interviewee in content and urls("interview_edit", interview_pk=interview.pk) not in content
    assert client.get(urls("interview_create")).status_code == 403
    assert client.post(urls("interview_create"), interview_data()).status_code == 403
    assert client.post(urls("interview_edit", interview_pk=interview.pk), interview_data()).status_code == 403
    assert client.post(urls("interview_delete", interview_pk=interview.pk)).status_code == 403
    assert Interview.objects.count() == 1


def test_outsider_and_anonymous_get_404(outsider, login, client, urls, process, other_process):
    interview = InterviewFactory(process=process)
    foreign = InterviewFactory(process=other_process)
    assert client.get(urls("interviews")).status_code == 404
    client = login(outsider)
    assert client.get(urls("interviews")).status_code == 404
    assert client.get(urls("interview_edit", interview_pk=interview.pk)).status_code == 404
    assert client.post(urls("interview_delete", interview_pk=interview.pk)).status_code == 404
    assert Interview.objects.count() == 2
    # a member of this Kommune cannot reach the other Kommune's interview through the own URL
    member = process.municipality.memberships.first().user
    client = login(member)
    assert client.get(urls("interview_edit", interview_pk=foreign.pk)).status_code == 404
    assert client.post(urls("interview_delete", interview_pk=foreign.pk)).status_code == 404


def test_edit_conflict_and_delete(coordinator, contributor, login, urls, process):
    interview = InterviewFactory(process=process, interviewee="Pfarrerin", status="planned", date=None)
    client = login(coordinator)
    assert "Pfarrerin" in client.get(urls("interview_edit", interview_pk=interview.pk)).content.decode()
    stale = interview.version
    services.interview_update(
        actor=contributor,
        municipality=process.municipality,
        interview=interview,
        interviewee="Pfarrerin",
        status="done",
        date=datetime.date(2026, 5, 1),
        summary="Version B",
    )
    data = interview_data(interviewee="Pfarrerin", summary="Version A", version=stale)
    response = client.post(urls("interview_edit", interview_pk=interview.pk), data)
    content = response.content.decode()
    assert response.status_code == 200 and "Version A" in content and "Version B" in content
    interview.refresh_from_db()
    assert interview.summary == "Version B"
    data["version"] = interview.version
    assert client.post(urls("interview_edit", interview_pk=interview.pk), data).status_code == 302
    interview.refresh_from_db()
    assert interview.summary == "Version A" and interview.status == "planned"
    swot = services.swot_item_create(
        actor=coordinator,
        municipality=process.municipality,
        process=process,
        quadrant="strength",
        text="Aktive Kirchengemeinde",
        evidence_interview=interview,
    )
    assert client.post(urls("interview_delete", interview_pk=interview.pk)).status_code == 302
    assert not Interview.objects.exists()
    swot.refresh_from_db()
    assert swot.evidence_interview is None and SwotItem.objects.count() == 1


@pytest.mark.parametrize("rows", [1, 5])
def test_list_query_count_pinned(coordinator, login, urls, process, rows, django_assert_num_queries):
    for n in range(rows):
        InterviewFactory(
            process=process,
            actor=ActorFactory(municipality=process.municipality, name=f"Verein {n}"),
            interviewer=coordinator,
        )
    client = login(coordinator)
    client.get(urls("interviews"))
    with django_assert_num_queries(8):
        response = client.get(urls("interviews"))
    assert len(response.context["interviews"]) == rows


def test_selector_orders_planned_first(process):
    done = InterviewFactory(process=process, status="done")
    planned = InterviewFactory(process=process, status="planned", date=None)
    assert selectors.interviews(process=process) == [planned, done]
