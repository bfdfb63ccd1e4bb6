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
    assert not Survey.objects.filter(network_survey=network_survey).exists()


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


# --- The questionnaire: built with the survey builder of step 5 --------------------------------------------


def builder_url(network_survey, name, **kwargs):
    return reverse(f"network_surveys:{name}", kwargs={"pk": network_survey.pk, **kwargs})


@pytest.fixture
def custom_survey(network_editor):
    """A network survey built from scratch: one section with a statement, a single and a multiple choice and a
    free text, added through the builder's services."""
    from daks.reviews import surveys

    network_survey = network_surveys.network_survey_create(
        actor=network_editor, title="Eigene Fragen", with_default_questionnaire=False
    )
    template = network_survey.template
    section = surveys.section_add(actor=network_editor, survey=template, title="Alltag")
    for kind, text, options in [
        ("likert", "Die Strategie ist bekannt.", []),
        ("single", "Gibt es eine Stelle?", ["Ja", "Nein"]),
        ("multiple", "Was fehlt?", ["Zeit", "Geld", "Wissen"]),
        ("text", "Was wünschen Sie sich?", []),
    ]:
        surveys.question_add(
            actor=network_editor, survey=template, section=section, kind=kind, text=text, options=options
        )
    return network_survey


def test_questionnaire_starts_from_the_default_or_empty(network_survey, custom_survey):
    assert network_survey.template.municipality is None and network_survey.template.process is None
    assert network_survey.template.questions.filter(key="administration.cooperation").exists()
    assert list(custom_survey.template.questions.values_list("kind", flat=True)) == [
        "likert",
        "single",
        "multiple",
        "text",
    ]


def test_builder_pages_add_custom_questions_shown_to_respondents(
    client, login, network_editor, coordinator, process, network_survey
):
    from daks.reviews import surveys

    editor = login(network_editor)
    page = builder_url(network_survey, "questionnaire")
    html = editor.get(page).content.decode()
    assert "Zusammenarbeit in der Verwaltung" in html and builder_url(network_survey, "section_add") in html
    response = editor.post(builder_url(network_survey, "section_add"), {"title": "Mobilität"})
    assert response.status_code == 302
    section = network_survey.template.sections.get(title="Mobilität")
    response = editor.post(
        builder_url(network_survey, "question_create"),
        {"text": "Wie kommen Sie zum Rathaus?", "kind": "single", "options": "Bus\nRad\nAuto", "section": section.pk},
    )
    assert response.status_code == 302 and response["Location"].startswith(page)
    question = network_survey.template.questions.get(text="Wie kommen Sie zum Rathaus?")
    assert question.options == ["Bus", "Rad", "Auto"] and question.section == section
    # The same validation as in step 5: a choice needs two options, nothing is written.
    response = editor.post(builder_url(network_survey, "question_create"), {"text": "Kaputt", "kind": "single"})
    assert response.status_code == 400 and not network_survey.template.questions.filter(text="Kaputt").exists()
    # Moving, as in step 5.
    response = editor.post(builder_url(network_survey, "section_move", section_pk=section.pk), {"direction": "up"})
    assert response.status_code == 302

    copy = network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=network_survey)
    copied = copy.questions.get(text="Wie kommen Sie zum Rathaus?")
    assert copied.options == ["Bus", "Rad", "Auto"] and copied.key == f"network-{question.pk}"
    assert copied.section.title == "Mobilität"
    token = surveys.open_link_create(actor=coordinator, survey=copy)
    html = client.get(reverse("survey_public:answer", kwargs={"token": token})).content.decode()
    assert "Wie kommen Sie zum Rathaus?" in html and "Rad" in html


def test_builder_pages_only_for_the_network_office(client, login, coordinator, network_survey):
    question = network_survey.template.questions.first()
    page = builder_url(network_survey, "questionnaire")
    assert client.get(page).status_code == 302
    member = login(coordinator)
    assert member.get(page).status_code == 403
    assert member.post(builder_url(network_survey, "question_delete", question_pk=question.pk)).status_code == 403
    assert network_survey.template.questions.filter(pk=question.pk).exists()


def test_a_question_of_another_survey_is_not_found(login, network_editor, survey, network_survey):
    foreign = survey.questions.first()  # a question of a Kommune's survey
    editor = login(network_editor)
    assert editor.get(builder_url(network_survey, "question_edit", question_pk=foreign.pk)).status_code == 404
    assert editor.post(builder_url(network_survey, "question_delete", question_pk=foreign.pk)).status_code == 404
    assert survey.questions.filter(pk=foreign.pk).exists()


def test_join_refused_while_the_questionnaire_is_empty(network_editor, coordinator, process):
    empty = network_surveys.network_survey_create(actor=network_editor, title="Leer", with_default_questionnaire=False)
    with pytest.raises(DomainError, match=r"keine Fragen|no questions"):
        network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=empty)


def test_editing_after_answers_follows_the_rules_of_step_5(login, network_editor, coordinator, process, custom_survey):
    from daks.reviews import surveys

    template = custom_survey.template
    single = template.questions.get(kind="single")
    text = template.questions.get(kind="text")
    copy = network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=custom_survey)
    # No answers yet: everything can change.
    assert not surveys.has_responses(template)
    response = Response.objects.create(survey=copy, submitted_at=timezone.now())
    Answer.objects.create(response=response, question=copy.questions.get(kind="likert"), number=4)
    assert surveys.has_responses(template)
    with pytest.raises(DomainError):
        surveys.question_delete(actor=network_editor, question=text)
    with pytest.raises(DomainError):
        surveys.question_update(actor=network_editor, question=single, kind="multiple")
    with pytest.raises(DomainError):
        surveys.question_update(actor=network_editor, question=single, options=["Ja"])
    surveys.question_update(actor=network_editor, question=single, text="Gibt es eine feste Stelle?")
    surveys.question_update(actor=network_editor, question=single, options=["Ja", "Nein", "Geplant"])
    single.refresh_from_db()
    assert single.text == "Gibt es eine feste Stelle?" and single.options == ["Ja", "Nein", "Geplant"]
    # Through the pages: the delete button is gone and a forged delete is refused with the message of step 5.
    editor = login(network_editor)
    html = editor.get(builder_url(custom_survey, "questionnaire")).content.decode()
    assert builder_url(custom_survey, "question_delete", question_pk=text.pk) not in html
    response = editor.post(builder_url(custom_survey, "question_delete", question_pk=text.pk), follow=True)
    assert template.questions.filter(pk=text.pk).exists()
    assert "Antworten" in response.content.decode() or "responses" in response.content.decode()
    # The copy a Kommune took is its own: rewording the network question does not change it.
    assert copy.questions.get(kind="single").text == "Gibt es eine Stelle?"


def answer_copy(copy, values_per_response: list[dict]) -> None:
    """``values_per_response``: per response {question kind: stored fields}."""
    questions = {question.kind: question for question in copy.questions.all()}
    for values in values_per_response:
        response = Response.objects.create(survey=copy, submitted_at=timezone.now(), via_open_link=True)
        for kind, fields in values.items():
            Answer.objects.create(response=response, question=questions[kind], **fields)


def test_results_aggregate_every_kind_per_municipality(coordinator, outsider, process, other_process, custom_survey):
    from daks.reviews import moderation

    mine = network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=custom_survey)
    theirs = network_surveys.network_survey_join(actor=outsider, process=other_process, network_survey=custom_survey)
    answer_copy(
        mine,
        [
            {
                "likert": {"number": 5},
                "single": {"number": 0},
                "multiple": {"choices": [0, 1]},
                "text": {"text": "Mehr Zeit"},
            },
            {
                "likert": {"number": 4},
                "single": {"number": 0},
                "multiple": {"choices": [1]},
                "text": {"text": "Frau Meier ist schuld"},
            },
            {"likert": {"number": 3}, "single": {"number": 1}},
        ],
    )
    answer_copy(
        theirs,
        [
            {
                "likert": {"number": 1},
                "single": {"number": 1},
                "multiple": {"choices": [2]},
                "text": {"text": "Ein Bus"},
            },
            {"likert": {"number": 2}, "single": {"number": 1}},
            {"likert": {"number": 1}, "multiple": {"choices": [1, 2]}},
        ],
    )
    hidden = Answer.objects.get(text="Frau Meier ist schuld")
    moderation.answer_set_hidden(actor=coordinator, answer=hidden, hidden=True)

    results = network_surveys.network_results(custom_survey)
    likert, single, multiple, text = results.questions
    mine_name, theirs_name = process.municipality.name, other_process.municipality.name

    assert likert.counts == {1: 2, 2: 1, 3: 1, 4: 1, 5: 1} and likert.n == 6
    assert likert.mean == pytest.approx(16 / 6) and likert.municipalities == 2
    per = {entry.municipality: entry.stats for entry in likert.per_municipality}
    assert per[mine_name].mean == pytest.approx(4.0) and per[theirs_name].mean == pytest.approx(4 / 3)
    assert [bucket.count for bucket in per[mine_name].buckets] == [0, 0, 1, 1, 1]

    assert single.counts == {0: 2, 1: 3} and single.n == 5
    assert multiple.counts == {0: 1, 1: 3, 2: 2} and multiple.n == 4
    per = {entry.municipality: entry.stats for entry in multiple.per_municipality}
    assert [bucket.count for bucket in per[theirs_name].buckets] == [0, 1, 2]

    texts = {entry.municipality: [answer.text for answer in entry.stats.texts] for entry in text.texts}
    assert texts == {mine_name: ["Mehr Zeit"], theirs_name: ["Ein Bus"]}  # the hidden answer is left out
    assert all(
        answer.respondent == "" and answer.submitted_at is None for entry in text.texts for answer in entry.stats.texts
    )


def test_results_page_shows_every_kind_but_no_hidden_text(login, network_editor, coordinator, process, custom_survey):
    from daks.reviews import moderation

    mine = network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=custom_survey)
    answer_copy(
        mine,
        [
            {"likert": {"number": 5}, "single": {"number": 0}, "text": {"text": "Mehr Zeit"}},
            {"likert": {"number": 4}, "multiple": {"choices": [2]}, "text": {"text": "Frau Meier ist schuld"}},
            {"likert": {"number": 3}},
        ],
    )
    moderation.answer_set_hidden(actor=coordinator, answer=Answer.objects.get(text__startswith="Frau"), hidden=True)
    html = login(network_editor).get(reverse("network_surveys:detail", args=[custom_survey.pk])).content.decode()
    assert "Gibt es eine Stelle?" in html and "Wissen" in html and "Mehr Zeit" in html
    assert "Frau Meier" not in html


def test_a_municipality_sees_only_its_own_answers(
    login, coordinator, outsider, process, other_process, custom_survey, survey_url
):
    mine = network_surveys.network_survey_join(actor=coordinator, process=process, network_survey=custom_survey)
    theirs = network_surveys.network_survey_join(actor=outsider, process=other_process, network_survey=custom_survey)
    answer_copy(mine, [{"text": {"text": "Unsere Antwort"}, "likert": {"number": 3}}] * 3)
    answer_copy(theirs, [{"text": {"text": "Fremde Antwort"}, "likert": {"number": 2}}] * 3)
    member = login(coordinator)
    html = member.get(survey_url("reviews:survey_results", survey_pk=mine.pk)).content.decode()
    assert "Unsere Antwort" in html and "Fremde Antwort" not in html
    assert member.get(survey_url("reviews:survey_results", survey_pk=theirs.pk)).status_code == 404
    assert member.get(reverse("network_surveys:detail", args=[custom_survey.pk])).status_code == 403
