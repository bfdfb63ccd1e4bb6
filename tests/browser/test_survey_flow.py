"""End to end through a Zwischenbilanz survey: a coordinator creates a survey with the default questionnaire and
invites a colleague personally; the colleague answers through the mailed link without an account; the coordinator
sees the response rate and the results."""

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse

from daks.municipalities.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory

from .helpers import assert_accessible, link_from_mail, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COLLEAGUE_EMAIL = "rita.rueckmeldung@example.org"


@pytest.fixture
def kommune():
    from daks.strategy import services as strategy_services

    coordination = MembershipFactory(
        municipality=MunicipalityFactory(name="Umfragestadt", slug="umfragestadt"),
        role=Role.COORDINATION,
        user__name="Bernd Bilanz",
    )
    municipality = coordination.municipality
    MembershipFactory(
        municipality=municipality, role=Role.CONTRIBUTOR, user__name="Rita Rückmeldung", user__email=COLLEAGUE_EMAIL
    )
    process = strategy_services.process_create(
        actor=coordination.user,
        municipality=municipality,
        title="Demografiestrategie 2040",
        start_date=dt.date(2026, 3, 1),
        coordinators=[coordination.user],
    )
    return {"process": process, "coordinator": coordination.user}


def test_survey_answered_without_account_and_response_rate(new_session, kommune):
    from daks.reviews.models import Response, Survey, SurveyInvitation

    process = kommune["process"]
    base = f"/kommunen/umfragestadt/prozesse/{process.pk}/zwischenbilanz"

    # 1. The coordinator creates a survey with the default questionnaire.
    coordinator = new_session()
    coordinator.login(kommune["coordinator"])
    page = coordinator.page
    visit(page, f"{base}/umfragen/")
    with page.expect_navigation():
        page.locator(f"main a[href='{base}/umfragen/neu/']").click()
    assert_accessible(page, what="new survey form")
    assert page.locator("#id_with_default_questionnaire").is_checked()
    page.locator("#id_title").fill("Zwischenbilanz 2026")
    submit(page, "main form[method=post]")
    assert_accessible(page, what="survey builder")
    survey = Survey.objects.get(process=process)
    assert "Zwischenbilanz 2026" in page.locator("h1").inner_text()
    assert page.get_by_text("Zusammenarbeit in der Verwaltung").count() >= 1
    assert survey.questions.count() >= 20

    # 2. … and invites a colleague personally.
    with page.expect_navigation():
        page.locator(f"main a[href='{base}/umfragen/{survey.pk}/verteilen/']").first.click()
    assert_accessible(page, what="survey distribution")
    invite = page.locator("form[action$='/verteilen/einladen/']")
    invite.get_by_label("Rita Rückmeldung").check()
    submit(page, "form[action$='/verteilen/einladen/']")
    assert_accessible(page, what="distribution after inviting")
    assert SurveyInvitation.objects.filter(survey=survey, email=COLLEAGUE_EMAIL, sent_at__isnull=False).exists()

    # 3. The colleague answers through the mailed link in a fresh browser — no account, no login.
    answer_path = link_from_mail(COLLEAGUE_EMAIL, r"^/umfrage/[^/]+/$")
    guest = new_session()
    visit(guest.page, answer_path)
    questionnaire = guest.page.locator("main form[method=post]")
    first_statement = questionnaire.locator("fieldset.survey-question").first
    first_statement.locator("input[type=radio][value='4']").check()
    questionnaire.locator("fieldset.survey-question").nth(1).locator("input[type=radio][value='2']").check()
    questionnaire.locator("textarea").first.fill("Kurze Wege zwischen den Ämtern helfen.")
    submit(guest.page, "main form[method=post]")
    assert_accessible(guest.page, what="thank-you page")
    assert guest.page.url.endswith("/umfrage/danke/")
    response = Response.objects.get(survey=survey)
    assert response.invitation_id is None  # anonymous: not linked to the invitation
    assert response.answers.count() == 3

    # The link cannot be used a second time.
    visit(guest.page, answer_path, expect_status=409)

    # 4. The coordinator sees the response rate …
    visit(page, f"{base}/umfragen/{survey.pk}/verteilen/")
    rate = page.locator("#response-rate").inner_text()
    assert "1" in rate and "100" in rate

    # … and the results (when the results page is installed).
    try:
        results = reverse(
            "reviews:survey_results",
            kwargs={
                "municipality_slug": "umfragestadt",
                "pk": process.pk,
                "step_slug": "zwischenbilanz",
                "survey_pk": survey.pk,
            },
        )
    except NoReverseMatch:
        results = None
    if results:
        visit(page, results)  # 200 and axe-clean; its content is tested by the results' own tests
        assert "Zwischenbilanz 2026" in page.locator("main").inner_text()
