"""Fuzzing the public survey form (/umfrage/<token>/) and the answering service behind it.

Requests as a browser (or a script) could send them: a personal, the open or a made-up token; for every question
one or several values (valid answer numbers, numbers out of range, huge numbers, text where a number is expected,
NUL characters, 5000+ characters, markup), unknown fields, a valid, forged or missing nonce. Property: the page
answers with a redirect to "thank you" (one response stored) or a German page with 400/404/409/410 — never a
server error — and a refused answer stores nothing. The service itself also takes JSON-like values (API callers).
"""

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import event, example, given
from hypothesis import strategies as st

from daks.reviews import surveys
from daks.reviews.models import Answer, QuestionKind, Response, SurveyInvitation
from tests.reviews.factories import InvitationFactory, QuestionFactory, SurveyFactory, SurveySectionFactory

from .strategies import (
    FUZZ,
    HUGE_NUMBERS,
    assert_clean_message,
    assert_storable,
    cells,
    isolated,
    row_counts,
)

pytestmark = pytest.mark.django_db

PERSONAL_TOKEN = "survey-token-fuzz-abcdefghijklmnopqrstuvwxyz0123"

ANSWER_VALUES = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "0", "6", "-1", "2.0", " 3 ", "３", "", "\x00", "a" * 5001, "<b>x</b>"]),
    st.sampled_from(HUGE_NUMBERS),
    cells,
    st.text(max_size=30),
)


VALID_ANSWERS = {
    QuestionKind.LIKERT: st.sampled_from(["1", "2", "3", "4", "5"]),
    QuestionKind.SINGLE: st.sampled_from(["0", "1"]),
    QuestionKind.MULTIPLE: st.lists(st.sampled_from(["0", "1", "2"]), min_size=1, max_size=3),
    QuestionKind.TEXT: st.text(max_size=100),
}


@pytest.fixture
def survey(municipality, coordinator):
    import datetime

    from daks.strategy import services as strategy_services

    process = strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )
    survey = SurveyFactory(process=process, title="Zwischenbilanz 2026", created_by=coordinator)
    first = SurveySectionFactory(survey=survey, title="Zusammenarbeit", position=0)
    second = SurveySectionFactory(survey=survey, title="Ressourcen", position=1)
    QuestionFactory(survey=survey, section=first, kind=QuestionKind.LIKERT, text="Gut?", required=True, position=0)
    QuestionFactory(survey=survey, section=first, kind=QuestionKind.LIKERT, text="Informationen?", position=1)
    QuestionFactory(survey=survey, section=second, kind=QuestionKind.SINGLE, options=["Ja", "Nein"], position=2)
    QuestionFactory(survey=survey, section=second, kind=QuestionKind.MULTIPLE, options=["A", "B", "C"], position=3)
    QuestionFactory(survey=survey, section=second, kind=QuestionKind.TEXT, text="Was hilft?", position=4)
    InvitationFactory(survey=survey, token=PERSONAL_TOKEN)
    survey.open_token = surveys.open_link_create(actor=coordinator, survey=survey)
    return survey


def _tokens(survey):
    return st.one_of(
        st.just(survey.open_token),
        st.just(PERSONAL_TOKEN),
        st.just(survey.open_token),
        st.sampled_from(["", "x", "A" * 300, "../../admin", "%00", "token with spaces", PERSONAL_TOKEN[:-1]]),
        st.text(min_size=1, max_size=40),
    )


@st.composite
def survey_posts(draw, survey):
    questions = list(survey.questions.order_by("position"))
    data = {}
    for question in questions:
        kind = draw(st.sampled_from(["valid", "valid", "valid", "skip", "nasty"]))
        if kind == "skip":
            continue
        if kind == "valid":
            data[f"q{question.pk}"] = draw(VALID_ANSWERS[question.kind])
        else:
            values = draw(st.lists(ANSWER_VALUES, min_size=1, max_size=3))
            data[f"q{question.pk}"] = values if len(values) > 1 else values[0]
    for _extra in range(draw(st.integers(min_value=0, max_value=2))):
        data[draw(st.sampled_from(["q0", "q999999999999999999999", "csrfmiddlewaretoken", "nonce", "x"]))] = draw(
            ANSWER_VALUES
        )
    nonce = draw(st.sampled_from(["valid", "valid", "valid", "missing", "forged", "other survey"]))
    if nonce == "valid":
        data["nonce"] = surveys.make_nonce(survey)
    elif nonce == "forged":
        data["nonce"] = draw(st.sampled_from(["", "abc", "eyJzIjoxfQ:1abc:xyz", "x" * 500]))
    elif nonce == "other survey":
        from django.core import signing

        data["nonce"] = signing.dumps({"s": survey.pk + 1, "n": "n"}, salt="daks.reviews.survey-nonce")
    return data


def _counts():
    return row_counts(Response, Answer)


@FUZZ
@given(data=st.data())
def test_public_survey_form_never_fails(client, survey, data):
    token = data.draw(_tokens(survey), label="token")
    post = data.draw(survey_posts(survey), label="post")
    url = reverse("survey_public:answer", kwargs={"token": "TOKEN"}).replace("TOKEN", quote(token, safe=""))
    with isolated():
        before = _counts()
        responded_before = SurveyInvitation.objects.filter(responded_at__isnull=False).count()
        response = client.post(url, post)
        assert response.status_code in (302, 400, 404, 409, 410), response.status_code
        if response.status_code == 302:
            event("answered")
            assert response["Location"] == reverse("survey_public:thanks")
            assert _counts()["reviews.Response"] == before["reviews.Response"] + 1
        else:
            event(f"refused {response.status_code}")
            assert _counts() == before
            assert SurveyInvitation.objects.filter(responded_at__isnull=False).count() == responded_before


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        ANSWER_VALUES,
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=2),
    max_leaves=5,
)


#: Found by fuzzing, kept as pinned examples: float ∞ for a Likert question (int(∞) raised OverflowError, not
#: ValueError) and a NUL character in a free text (stored on SQLite, refused by PostgreSQL).
PINNED = [("likert", float("inf")), ("text", "Gut\x00")]


@FUZZ
@given(data=st.data())
@example(data=PINNED[0])
@example(data=PINNED[1])
def test_response_submit_with_json_like_values(survey, data):
    """The service takes {question pk: value}; any JSON-like value is an answer or a clean refusal."""
    questions = list(survey.questions.order_by("position"))
    if isinstance(data, tuple):
        kind, value = data
        question = next(question for question in questions if question.kind == kind)
        values = {questions[0].pk: "4", question.pk: value}
        token, nonce = PERSONAL_TOKEN, ""
    else:
        values = {
            question.pk: data.draw(JSON_VALUES, label=f"q{question.pk}")
            for question in questions
            if data.draw(st.booleans(), label=f"answer q{question.pk}")
        }
        token = data.draw(st.sampled_from([PERSONAL_TOKEN, survey.open_token]), label="token")
        nonce = surveys.make_nonce(survey) if token == survey.open_token else ""
    with isolated():
        before = _counts()
        try:
            response = surveys.response_submit(token=token, values=values, nonce=nonce, address="fuzz")
        except surveys.AnswersInvalid as error:
            event("invalid answers")
            assert error.errors and all(str(message).strip() for message in error.errors.values())
            assert _counts() == before
        except surveys.DomainError as error:
            event("refused")
            assert_clean_message(error.message)
            assert _counts() == before
        else:
            event("answered")
            assert Answer.objects.filter(response=response).count() >= 1
            assert_storable(Answer.objects.filter(response=response))
