"""Statistics of survey results, the anonymity rules, moderation of free texts and the results page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from daks.core.models import AuditLogEntry
from daks.reviews import results
from daks.reviews.models import Answer, Question, QuestionKind

from .factories import AnswerFactory, InvitationFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def questions(survey):
    return {
        question.kind if question.kind != QuestionKind.LIKERT else question.key: question
        for question in survey.questions.all()
    }


def respond(survey, *, likert=None, info=None, single=None, multiple=None, text=None, minutes=0, **response_kwargs):
    """One response; ``None`` leaves the question out."""
    qs = questions(survey)
    base = timezone.make_aware(datetime.datetime(2026, 5, 1, 10, 0))
    response = ResponseFactory(
        survey=survey, submitted_at=base + datetime.timedelta(minutes=minutes), **response_kwargs
    )
    if likert is not None:
        AnswerFactory(response=response, question=qs["coop"], number=likert)
    if info is not None:
        AnswerFactory(response=response, question=qs["info"], number=info)
    if single is not None:
        AnswerFactory(response=response, question=qs[QuestionKind.SINGLE], number=single)
    if multiple is not None:
        AnswerFactory(response=response, question=qs[QuestionKind.MULTIPLE], choices=multiple)
    if text is not None:
        AnswerFactory(response=response, question=qs[QuestionKind.TEXT], text=text)
    return response


def stats_of(summary, key_or_kind):
    for stats in summary.questions:
        if stats.key == key_or_kind or (not stats.key and stats.kind == key_or_kind):
            return stats
    raise AssertionError(key_or_kind)


# --- statistics -------------------------------------------------------------------------------


def test_likert_mean_median_distribution_known_answers(survey):
    for index, value in enumerate([1, 2, 2, 4, 5, 5]):  # even count
        respond(survey, likert=value, minutes=index)
    respond(survey, likert=None, minutes=10)  # "keine Angabe"
    summary = results.survey_summary(survey)
    stats = stats_of(summary, "coop")
    assert summary.responses == 7
    assert stats.n == 6
    assert stats.missing == 1
    assert [bucket.count for bucket in stats.buckets] == [1, 2, 0, 1, 2]
    assert stats.mean == pytest.approx(19 / 6)
    assert stats.median == 3.0  # (2 + 4) / 2
    assert stats.mean_display == "3,2"
    assert stats.median_display == "3,0"
    assert [bucket.percent_display for bucket in stats.buckets] == ["16,7", "33,3", "0,0", "16,7", "33,3"]


def test_odd_count_median_and_all_missing(survey):
    for index, value in enumerate([5, 1, 3, 3, 4]):
        respond(survey, likert=value, minutes=index)
    summary = results.survey_summary(survey)
    assert stats_of(summary, "coop").median == 3.0
    assert stats_of(summary, "coop").mean == pytest.approx(3.2)
    info = stats_of(summary, "info")  # nobody answered
    assert info.n == 0 and info.missing == 5
    assert info.mean is None and info.median is None
    assert info.mean_display == "–"
    assert [bucket.count for bucket in info.buckets] == [0, 0, 0, 0, 0]


def test_single_and_multiple_choice_distributions(survey):
    respond(survey, single=0, multiple=[0, 1])
    respond(survey, single=1, multiple=[1])
    respond(survey, single=0, multiple=[1, 2])
    respond(survey)
    summary = results.survey_summary(survey)
    single = stats_of(summary, QuestionKind.SINGLE)
    assert [(b.label, b.count) for b in single.buckets] == [("Ja", 2), ("Nein", 1)]
    assert single.n == 3 and single.missing == 1
    multiple = stats_of(summary, QuestionKind.MULTIPLE)
    assert [(b.label, b.count) for b in multiple.buckets] == [("Zeit", 1), ("Geld", 3), ("Wissen", 1)]
    assert multiple.buckets[1].percent == pytest.approx(100)
    assert multiple.mean is None


def test_choices_stored_as_labels_are_counted(survey):
    for _ in range(3):
        respond(survey, multiple=["Geld"])
    multiple = stats_of(results.survey_summary(survey), QuestionKind.MULTIPLE)
    assert [b.count for b in multiple.buckets] == [0, 3, 0]


def test_response_rate_counts_personal_and_open_link_responses(survey):
    invitations = [InvitationFactory(survey=survey) for _ in range(4)]
    for invitation in invitations[:2]:
        invitation.responded_at = timezone.now()
        invitation.save()
    respond(survey, likert=3)
    respond(survey, likert=4)
    respond(survey, likert=5, via_open_link=True)
    summary = results.survey_summary(survey)
    assert summary.invited == 4
    assert summary.open_link_responses == 1
    assert summary.personal_responses == 2
    assert summary.response_rate == 0.5
    assert summary.response_rate_display == "50,0"


def test_fewer_than_three_responses_are_not_evaluated(survey):
    respond(survey, likert=1, text="Zu wenig Zeit")
    respond(survey, likert=2)
    summary = results.survey_summary(survey)
    assert summary.suppressed
    assert summary.sections == []


def test_free_texts_newest_first_hidden_only_for_moderators(survey):
    respond(survey, text="Alt", minutes=1)
    respond(survey, text="Neu", minutes=5)
    hidden = respond(survey, text="Beleidigung", minutes=3)
    Answer.objects.filter(response=hidden).update(hidden=True)
    reader_view = stats_of(results.survey_summary(survey), QuestionKind.TEXT)
    assert [a.text for a in reader_view.texts] == ["Neu", "Alt"]
    assert reader_view.hidden_count == 1
    moderator_view = stats_of(results.survey_summary(survey, include_hidden=True), QuestionKind.TEXT)
    assert [(a.text, a.hidden) for a in moderator_view.texts] == [("Neu", False), ("Beleidigung", True), ("Alt", False)]


def test_anonymous_texts_carry_no_names_or_times(survey):
    survey.anonymous = True
    survey.save()
    for minutes in range(3):
        respond(survey, text=f"Text {minutes}", minutes=minutes)
    texts = stats_of(results.survey_summary(survey), QuestionKind.TEXT).texts
    assert all(a.respondent == "" and a.submitted_at is None for a in texts)


def test_group_breakdown_of_named_survey_hides_small_groups(survey, coordinator, contributor, reader):
    survey.anonymous = False
    survey.save()
    members = [coordinator, contributor, reader]
    for index, user in enumerate(members):
        invitation = InvitationFactory(survey=survey, member=user, name=f"Mitglied {index}")
        respond(survey, likert=index + 2, invitation=invitation, text=f"Text {index}", minutes=index)
    respond(survey, likert=1, via_open_link=True)
    stats = stats_of(results.survey_summary(survey), "coop")
    groups = {group.key: group for group in stats.groups}
    assert groups["member"].n == 3 and not groups["member"].suppressed
    assert groups["member"].mean == pytest.approx(3.0)
    assert groups["open"].suppressed and groups["open"].mean is None
    texts = stats_of(results.survey_summary(survey), QuestionKind.TEXT).texts
    assert texts[0].respondent == "Mitglied 2" and texts[0].submitted_at is not None


def test_anonymous_survey_has_no_group_breakdown(survey):
    for value in (1, 2, 3, 4):
        respond(survey, likert=value)
    assert stats_of(results.survey_summary(survey), "coop").groups == []


# --- page and roles ---------------------------------------------------------------------------


@pytest.fixture
def answered(survey):
    for index, value in enumerate([2, 3, 4, 4]):
        respond(survey, likert=value, single=0, multiple=[2], text=f"Antwort {index}", minutes=index)
    return survey


def test_results_page_for_reader_shows_stats_without_moderation(login, reader, answered, survey_url):
    Answer.objects.filter(text="Antwort 1").update(hidden=True)
    response = login(reader).get(survey_url("reviews:survey_results", survey_pk=answered.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "3,3" in content  # mean (2+3+4+4)/4 = 3.25 → 3,3
    assert "3,5" in content  # median
    assert 'role="img"' in content and "<caption>" in content
    assert "Antwort 0" in content and "Antwort 1" not in content
    assert "survey_answer_moderate" not in content and "/moderation/" not in content
    assert "/antworten.csv" not in content


def test_results_page_under_three_shows_notice(login, coordinator, survey, survey_url):
    respond(survey, likert=5, text="Geheim")
    content = login(coordinator).get(survey_url("reviews:survey_results", survey_pk=survey.pk)).content.decode()
    assert "Geheim" not in content
    assert "Datenschutz" in content or "data protection" in content


def test_results_page_outsider_and_anonymous(client, login, outsider, answered, survey_url):
    url = survey_url("reviews:survey_results", survey_pk=answered.pk)
    assert client.get(url).status_code in (302, 404)
    assert login(outsider).get(url).status_code == 404


def test_results_page_wrong_step_or_other_process_survey_404(login, coordinator, answered, survey_url, other_process):
    url = reverse(
        "reviews:survey_results",
        kwargs={
            "municipality_slug": "musterstadt",
            "pk": answered.process_id,
            "step_slug": "kommunalprofil",
            "survey_pk": answered.pk,
        },
    )
    assert login(coordinator).get(url).status_code == 404
    foreign = SurveyFactory(process=other_process)
    assert login(coordinator).get(survey_url("reviews:survey_results", survey_pk=foreign.pk)).status_code == 404


def test_editor_hides_and_shows_answer_with_audit(login, contributor, answered, survey_url):
    answer = Answer.objects.get(text="Antwort 2")
    url = survey_url("reviews:survey_answer_moderate", survey_pk=answered.pk, answer_pk=answer.pk)
    client = login(contributor)
    response = client.post(url, {"hidden": "1"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.hidden
    entry = AuditLogEntry.objects.get(action="reviews.answer.hidden")
    assert entry.data["process"] == answered.process_id and entry.actor == contributor
    assert "Antwort 2" not in entry.object_repr
    page = client.get(survey_url("reviews:survey_results", survey_pk=answered.pk)).content.decode()
    assert "Antwort 2" in page  # moderators still see it, marked hidden
    response = client.post(url, {"hidden": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Antwort 2" in response.content.decode()
    answer.refresh_from_db()
    assert not answer.hidden
    assert AuditLogEntry.objects.filter(action="reviews.answer.shown").count() == 1


def test_reader_cannot_moderate(login, reader, answered, survey_url):
    answer = Answer.objects.get(text="Antwort 2")
    url = survey_url("reviews:survey_answer_moderate", survey_pk=answered.pk, answer_pk=answer.pk)
    assert login(reader).post(url, {"hidden": "1"}).status_code == 403
    answer.refresh_from_db()
    assert not answer.hidden


def test_outsider_cannot_moderate(login, outsider, answered, survey_url):
    answer = Answer.objects.get(text="Antwort 2")
    url = survey_url("reviews:survey_answer_moderate", survey_pk=answered.pk, answer_pk=answer.pk)
    assert login(outsider).post(url, {"hidden": "1"}).status_code == 404
    answer.refresh_from_db()
    assert not answer.hidden


def test_likert_answers_cannot_be_hidden(login, coordinator, answered, survey_url):
    answer = Answer.objects.filter(question__kind=QuestionKind.LIKERT).first()
    url = survey_url("reviews:survey_answer_moderate", survey_pk=answered.pk, answer_pk=answer.pk)
    assert login(coordinator).post(url, {"hidden": "1"}).status_code == 404
    assert not Answer.objects.filter(hidden=True).exists()


@pytest.mark.parametrize("count", [5, 30])
def test_results_page_query_count_is_constant(count, login, coordinator, survey, survey_url, django_assert_num_queries):
    for index in range(count):
        respond(
            survey, likert=1 + index % 5, info=2, single=index % 2, multiple=[0, 2], text=f"T{index}", minutes=index
        )
    client = login(coordinator)
    url = survey_url("reviews:survey_results", survey_pk=survey.pk)
    client.get(url)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200


def test_summary_query_count(survey, django_assert_num_queries):
    for index in range(6):
        respond(survey, likert=3, text=f"T{index}")
    with django_assert_num_queries(4):
        results.survey_summary(survey)


def test_question_order_follows_sections(survey):
    Question.objects.create(survey=survey, kind=QuestionKind.LIKERT, text="Ohne Abschnitt", position=99)
    for value in (1, 2, 3):
        respond(survey, likert=value)
    summary = results.survey_summary(survey)
    assert [section.title for section in summary.sections] == ["", "Zusammenarbeit", "Ressourcen"]
    assert [stats.number for stats in summary.questions] == [1, 2, 3, 4, 5, 6]
