"""Comparison of two survey rounds and the CSV/XLSX exports of results."""

import csv
import io
import random

import pytest
from openpyxl import load_workbook

from daks.reviews import result_exports, results
from daks.reviews.models import Answer

from .factories import AnswerFactory, InvitationFactory, QuestionFactory, ResponseFactory, SurveyFactory
from .test_results import respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(process):
    """Round A and B: "coop" matched by key (reworded), "same" by identical text, "gone" only in A."""
    a = SurveyFactory(process=process, title="Runde 2025")
    b = SurveyFactory(process=process, title="Runde 2026")
    qa = {
        "coop": QuestionFactory(survey=a, key="coop", text="Wir arbeiten gut zusammen.", position=0),
        "same": QuestionFactory(survey=a, key="", text="Daten  sind verfügbar.", position=1),
        "gone": QuestionFactory(survey=a, key="gone", text="Nur in Runde A.", position=2),
    }
    qb = {
        "coop": QuestionFactory(survey=b, key="coop", text="Die Zusammenarbeit klappt.", position=0),
        "same": QuestionFactory(survey=b, key="", text="Daten sind verfügbar.", position=1),
        "new": QuestionFactory(survey=b, key="new", text="Neu in Runde B.", position=2),
    }
    for values in ([2, 1], [2, 2], [3, 3], [1, 2]):
        response = ResponseFactory(survey=a)
        AnswerFactory(response=response, question=qa["coop"], number=values[0])
        AnswerFactory(response=response, question=qa["same"], number=values[1])
    for values in ([4, 1], [4, 2], [3, 2], [5, 3]):
        response = ResponseFactory(survey=b)
        AnswerFactory(response=response, question=qb["coop"], number=values[0])
        AnswerFactory(response=response, question=qb["same"], number=values[1])
    return a, b


def test_questions_matched_by_key_then_text(rounds):
    a, b = rounds
    comparison = results.compare_surveys(a, b)
    assert [row.text for row in comparison.likert] == ["Die Zusammenarbeit klappt.", "Daten sind verfügbar."]
    coop, same = comparison.likert
    assert coop.a.mean == 2.0 and coop.b.mean == 4.0
    assert coop.a.median == 2.0 and coop.b.median == 4.0
    assert coop.direction == "up" and coop.arrow == "↑"
    assert coop.delta_display == "+2,0"
    assert str(coop.change_label) in ("higher by 2,0", "höher um 2,0")
    assert same.a.mean == 2.0 and same.b.mean == 2.0
    assert same.direction == "same"
    assert [q.key for q in comparison.unmatched_a] == ["gone"]
    assert [q.key for q in comparison.unmatched_b] == ["new"]
    assert [(x.count, y.count) for x, y in coop.rows] == [(1, 0), (2, 0), (1, 1), (0, 2), (0, 1)]


def test_decline_shown_in_words(rounds):
    a, b = rounds
    row = results.compare_surveys(b, a).likert[0]
    assert row.direction == "down" and row.arrow == "↓"
    assert row.delta_display == "−2,0"


def test_comparison_with_too_few_responses_is_suppressed(rounds, process):
    a, _b = rounds
    small = SurveyFactory(process=process)
    QuestionFactory(survey=small, key="coop")
    ResponseFactory(survey=small)
    comparison = results.compare_surveys(a, small)
    assert comparison.suppressed and comparison.likert == []


def test_compare_page(login, reader, rounds, survey_url):
    a, b = rounds
    url = survey_url("reviews:survey_compare")
    client = login(reader)
    assert client.get(url).status_code == 200
    response = client.get(url, {"a": a.pk, "b": b.pk})
    content = response.content.decode()
    assert response.status_code == 200
    assert "↑" in content and 'role="img"' in content and "<caption>" in content
    assert "Die Zusammenarbeit klappt." in content
    same = client.get(url, {"a": a.pk, "b": a.pk}).content.decode()
    assert "zwei verschiedene" in same or "two different" in same


def test_compare_page_ignores_other_kommune_and_outsider(
    login, coordinator, outsider, rounds, survey_url, other_process
):
    a, _b = rounds
    foreign = SurveyFactory(process=other_process)
    url = survey_url("reviews:survey_compare")
    content = login(coordinator).get(url, {"a": a.pk, "b": foreign.pk}).content.decode()
    assert foreign.title not in content
    assert login(outsider).get(url).status_code == 404


# --- exports ----------------------------------------------------------------------------------


@pytest.fixture
def exported(survey):
    respond(survey, likert=4, single=0, multiple=[0], text='=HYPERLINK("http://x")', minutes=1)
    respond(survey, likert=2, single=1, multiple=[1, 2], text="Mehr Personal", minutes=2)
    respond(survey, likert=5, text="Versteckter Text", minutes=3)
    Answer.objects.filter(text="Versteckter Text").update(hidden=True)
    return survey


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_summary_csv(exported):
    filename, mimetype, content = result_exports.summary_csv(results.survey_summary(exported))
    assert filename.endswith(".csv") and mimetype.startswith("text/csv")
    rows = _csv_rows(content)
    coop = [row for row in rows if row[2] == "Wir arbeiten gut zusammen."]
    assert [row[5] for row in coop] == ["0", "1", "0", "1", "1"]
    assert coop[0][9] == "3,7" and coop[0][10] == "4,0"  # mean 11/3, median 4
    texts = [row[4] for row in rows if row[2] == "Was hilft? Was hindert?"]
    assert '\'=HYPERLINK("http://x")' in texts and "Mehr Personal" in texts
    assert "Versteckter Text" not in content.decode("utf-8-sig")


def test_summary_xlsx(exported):
    filename, _mimetype, content = result_exports.summary_xlsx(results.survey_summary(exported))
    assert filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[workbook.sheetnames[1]]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    flat = [value for row in values for value in row]
    assert "Versteckter Text" not in flat
    assert any(row[2] == "Wir arbeiten gut zusammen." and row[9] == pytest.approx(3.7) for row in values[2:])


def test_summary_export_of_small_survey_has_only_the_notice(survey):
    respond(survey, likert=1, text="Geheim")
    _filename, _mimetype, content = result_exports.summary_csv(results.survey_summary(survey))
    assert "Geheim" not in content.decode("utf-8-sig")
    assert len(_csv_rows(content)) == 2


def test_raw_export_anonymous_has_no_invitation_data_and_is_shuffled(exported):
    invitation = InvitationFactory(survey=exported, name="Erika Muster", email="erika@example.org")
    assert invitation.pk
    headers, table = result_exports.raw_table(exported, rng=random.Random(1))
    assert headers[0] in ("Response", "Antwort")
    assert len(headers) == 1 + exported.questions.count()
    flat = [str(cell) for row in table for cell in row]
    assert "Erika Muster" not in flat and "erika@example.org" not in flat
    assert "Versteckter Text" not in flat
    assert '\'=HYPERLINK("http://x")' not in flat  # raw table; CSV defuses it
    orders = {
        tuple(row[1] for row in result_exports.raw_table(exported, rng=random.Random(seed))[1]) for seed in range(8)
    }
    assert len(orders) > 1  # shuffled
    _f, _m, content = result_exports.raw_csv(exported)
    text = content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "Versteckter Text" not in text and "2026" not in text


def test_raw_export_named_survey_has_names_in_order(exported):
    exported.anonymous = False
    exported.save()
    Answer.objects.all().delete()
    exported.responses.all().delete()
    for index in range(3):
        invitation = InvitationFactory(survey=exported, name=f"Person {index}")
        respond(exported, likert=index + 1, invitation=invitation, minutes=index)
    headers, table = result_exports.raw_table(exported)
    assert [row[1] for row in table] == ["Person 0", "Person 1", "Person 2"]
    likert_column = headers.index("1. Wir arbeiten gut zusammen.")
    assert [row[likert_column] for row in table] == [1, 2, 3]
    _f, _m, content = result_exports.raw_xlsx(exported)
    assert load_workbook(io.BytesIO(content)).active.max_row == 5  # caption, header, 3 rows


def test_raw_export_refused_under_three(survey):
    respond(survey, likert=1)
    with pytest.raises(result_exports.TooFewResponses):
        result_exports.raw_table(survey)


def test_export_views_and_roles(login, reader, contributor, outsider, exported, survey_url):
    summary_url = survey_url("reviews:survey_results_export", survey_pk=exported.pk, fmt="csv")
    raw_url = survey_url("reviews:survey_answers_export", survey_pk=exported.pk, fmt="xlsx")
    response = login(reader).get(summary_url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert login(reader).get(raw_url).status_code == 403
    assert login(contributor).get(raw_url).status_code == 200
    assert (
        login(contributor)
        .get(survey_url("reviews:survey_results_export", survey_pk=exported.pk, fmt="pdf"))
        .status_code
        == 404
    )
    assert login(outsider).get(summary_url).status_code == 404


def test_raw_export_view_under_three_redirects_with_message(login, coordinator, survey, survey_url):
    respond(survey, likert=1)
    response = login(coordinator).get(survey_url("reviews:survey_answers_export", survey_pk=survey.pk, fmt="csv"))
    assert response.status_code == 302
