"""Network surveys: the network office starts one, Kommunen take part with a copy in their Zwischenbilanz, the
results are aggregated across the Kommunen with evaluated copies only."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from daks.core.errors import DomainError
from daks.reviews import network_surveys
from daks.reviews.models import Answer, NetworkSurvey, Response, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_editor(staff_user):
    staff_user.groups.add(Group.objects.get(name="Netzwerk-Redaktion"))
    staff_user.__dict__.pop("_daks_groups", None)
    return staff_user


@pytest.fixture
def network_survey(network_editor):
    return network_surveys.network_survey_create(actor=network_editor, title="Netzwerkumfrage 2026")


def respond(survey, values: dict[str, int], count: int) -> None:
    questions = {question.key: question for question in survey.questions.all()}
    for _ in range(count):
        response = Response.objects.create(survey=survey, submitted_at=timezone.now(), via_open_link=True)
        for key, number in values.items():
            Answer.objects.create(response=response, question=questions[key], number=number)


def test_only_the_network_office_starts_surveys(coordinator, network_editor):
    with pytest.raises(DomainError):
        network_surveys.network_survey_create(actor=coordinator, title="Umfrage")
    with pytest.raises(DomainError):
        network_surveys.network_survey_create(actor=network_editor, title="  ")
    assert not NetworkSurvey.objects.exists()
    survey = network_surveys.network_survey_create(actor=network_editor, title="Umfrage")
    assert network_surveys.likert_questions(survey)  # the default questionnaire with stable keys


def test_join_copies_the_questionnaire_once(coordinator, process, network_survey):
    copy = network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=network_survey)
    assert copy.network_survey == network_survey and copy.municipality == process.municipality and copy.anonymous
    keys = {key for key, _text in network_surveys.likert_questions(network_survey)}
    assert keys <= set(copy.questions.values_list("key", flat=True))
    with pytest.raises(DomainError, match=r"bereits|already"):
        network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=network_survey)
    assert Survey.objects.filter(network_survey=network_survey).count() == 1


def test_closed_surveys_and_readers_cannot_join(reader, coordinator, process, network_survey, network_editor):
    with pytest.raises(DomainError):
        network_surveys.network_survey_join(actor=reader, process=process, network_survey=network_survey)
    network_surveys.network_survey_close(actor=network_editor, network_survey=network_survey)
    with pytest.raises(DomainError):
        network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=network_survey)
    assert not Survey.objects.exists()


def test_results_pool_only_evaluated_copies(coordinator, outsider, process, other_process, network_survey):
    key, _text = network_surveys.likert_questions(network_survey)[0]
    mine = network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=network_survey)
    theirs = network_surveys.network_survey_join(actor=outsider, process=other_process, network_survey=network_survey)
    respond(mine, {key: 4}, 2)
    respond(mine, {key: 1}, 1)
    respond(theirs, {key: 5}, 2)  # two responses only: not evaluated
    results = network_surveys.network_results(network_survey)
    by_name = {participant.municipality: participant for participant in results.participants}
    assert by_name[process.municipality.name].evaluated and not by_name[other_process.municipality.name].evaluated
    first = results.questions[0]
    assert first.key == key and first.n == 3 and first.counts == {1: 1, 2: 0, 3: 0, 4: 2, 5: 0}
    assert first.mean == pytest.approx(3.0) and first.median == 4.0 and first.municipalities == 1
    assert results.responses == 3


def test_office_pages_per_role(client, login, network_editor, coordinator, network_survey):
    office = reverse("network_surveys:office")
    assert client.get(office).status_code == 302
    assert login(coordinator).get(office).status_code == 403
    editor = login(network_editor)
    assert editor.get(office).status_code == 200
    assert editor.get(reverse("network_surveys:detail", args=[network_survey.pk])).status_code == 200
    response = editor.post(office, {"title": "", "introduction": ""})
    assert response.status_code == 400 and NetworkSurvey.objects.count() == 1
    response = editor.post(office, {"title": "Zweite Runde", "closes_at": "2030-01-31T12:00"})
    assert response.status_code == 302 and NetworkSurvey.objects.count() == 2


def test_municipality_page_and_join_view(client, login, coordinator, reader, outsider, process, network_survey):
    kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "zwischenbilanz"}
    page = reverse("reviews:network_surveys", kwargs=kwargs)
    join = reverse("reviews:network_survey_join", kwargs={**kwargs, "network_pk": network_survey.pk})
    assert login(outsider).get(page).status_code == 404
    assert login(reader).post(join).status_code == 403
    member = login(coordinator)
    html = member.get(page).content.decode()
    assert "Netzwerkumfrage 2026" in html and join in html
    response = member.post(join)
    assert response.status_code == 302 and Survey.objects.filter(network_survey=network_survey).count() == 1
    response = member.post(join, follow=True)
    assert Survey.objects.filter(network_survey=network_survey).count() == 1


def test_closes_at_in_the_past_is_refused(network_editor):
    with pytest.raises(DomainError):
        network_surveys.network_survey_create(
            actor=network_editor, title="Alt", closes_at=timezone.now() - datetime.timedelta(days=1)
        )
