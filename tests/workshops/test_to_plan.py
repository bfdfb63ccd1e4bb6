"""Into the plan: realisation ideas become draft measures, with the link back to the idea and its votes."""

import pytest
from django.urls import reverse
from django.utils import translation

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.plans import selectors as plan_selectors
from daks.plans.models import Measure, MeasureStatus
from daks.workshops import to_plan
from daks.workshops.models import IdeaStatus, Phase, Vote
from tests.plans.factories import FieldOfActionFactory

from .factories import IdeaFactory, ParticipantFactory, ParticipationLinkFactory


def votes(idea, count, *, user=None):
    link = ParticipationLinkFactory(workshop=idea.workshop)
    for _number in range(count):
        participant = None if user else ParticipantFactory(link=link)
        Vote.objects.create(workshop=idea.workshop, idea=idea, user=user, participant=participant)


@pytest.fixture
def field(process):
    return FieldOfActionFactory(process=process, title="Wohnen")


@pytest.fixture
def idea(workshop, field):
    idea = IdeaFactory(
        workshop=workshop,
        phase=Phase.REALISATION,
        field_of_action=field,
        text="Eine Wohnungstauschbörse starten. Gemeinsam mit der Genossenschaft und den Vereinen.",
    )
    votes(idea, 3)
    return idea


@pytest.fixture
def urls(ws_url, workshop):
    def url(name, **extra):
        return ws_url(f"workshops:{name}", workshop_pk=workshop.pk, **extra)

    return url


def measure_url(measure):
    return reverse(
        "plans:measure_detail",
        kwargs={
            "municipality_slug": measure.municipality.slug,
            "pk": measure.plan.process_id,
            "step_slug": "werkstattplan",
            "measure_pk": measure.pk,
        },
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kurz und gut", "Kurz und gut"),
        ("Wohnberatung im Rathaus. Jeden Dienstag von 9 bis 12 Uhr.", "Wohnberatung im Rathaus"),
        ("Ja! Wir brauchen einen Bürgerbus für alle Ortsteile", "Ja! Wir brauchen einen Bürgerbus für alle Ortsteile"),
        ("  Zeile eins\nund   zwei  ", "Zeile eins und zwei"),
    ],
)
def test_shorten_title(text, expected):
    assert to_plan.shorten_title(text) == expected


def test_shorten_title_cuts_at_a_word():
    title = to_plan.shorten_title("Wort " * 60)
    assert len(title) <= to_plan.TITLE_MAX_LENGTH and title.endswith("Wort…")


def test_contributor_carries_ideas_into_the_plan(contributor, login, urls, workshop, idea, field, settings):
    second = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, field_of_action=field, text="Leerstandskataster")
    response = login(contributor).post(urls("into_plan"), {"ideas": [idea.pk, second.pk]})
    assert response.status_code == 302 and response["Location"] == urls("documentation") + "#in-den-plan"
    measures = list(Measure.objects.order_by("id"))
    assert len(measures) == 2
    measure = measures[0]
    assert measure.status == MeasureStatus.IDEA and measure.field_of_action == field
    assert measure.title == "Eine Wohnungstauschbörse starten"
    assert measure.plan.process == workshop.process and measure.created_by == contributor
    assert "> Eine Wohnungstauschbörse starten. Gemeinsam mit der Genossenschaft" in measure.description
    assert workshop.meeting.title in measure.description and "3" in measure.description
    idea.refresh_from_db()
    second.refresh_from_db()
    assert idea.measure == measure and second.measure == measures[1]
    entry = AuditLogEntry.objects.get(action="workshops.ideas.carried_into_plan")
    assert entry.data["process"] == workshop.process_id and entry.data["measures"] == [m.pk for m in measures]
    assert AuditLogEntry.objects.filter(action="plans.measure.created").count() == 2
    # the documentation page links to the measure
    html = login(contributor).get(urls("documentation")).content.decode()
    assert measure_url(measure) in html


def test_measure_page_links_back_to_the_idea_with_votes(coordinator, reader, login, workshop, idea):
    (measure,) = to_plan.ideas_to_plan(actor=coordinator, workshop=workshop, ideas=[idea])
    linked = plan_selectors.linked_ideas(measure)
    assert [item.pk for item in linked] == [idea.pk] and linked[0].vote_count == 3
    board = reverse(
        "workshops:board",
        kwargs={
            "municipality_slug": workshop.municipality.slug,
            "pk": workshop.process_id,
            "step_slug": "zukunftswerkstatt",
            "workshop_pk": workshop.pk,
        },
    )
    assert linked[0].board_url == f"{board}#idea-{idea.pk}"
    response = login(reader).get(measure_url(measure))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="ideas-heading"' in html and f'href="{board}#idea-{idea.pk}"' in html
    assert "Eine Wohnungstauschbörse starten. Gemeinsam" in html


def test_measure_without_ideas_shows_no_section(coordinator, login, workshop, idea, field):
    from tests.plans.factories import MeasureFactory

    (measure,) = to_plan.ideas_to_plan(actor=coordinator, workshop=workshop, ideas=[idea])
    other = MeasureFactory(plan=measure.plan, field_of_action=field)
    assert plan_selectors.linked_ideas(other) == []
    assert 'id="ideas-heading"' not in login(coordinator).get(measure_url(other)).content.decode()


def test_all_or_nothing_when_an_idea_has_no_field(coordinator, login, urls, workshop, idea):
    without = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, text="Bürgerbus auf Zuruf")
    response = login(coordinator).post(urls("into_plan"), {"ideas": [idea.pk, without.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "Bürgerbus auf Zuruf" in html
    assert f'id="idea-{idea.pk}" checked' in html  # the choice is kept
    assert not Measure.objects.exists()
    idea.refresh_from_db()
    assert idea.measure is None
    assert not AuditLogEntry.objects.filter(action__startswith="workshops.ideas").exists()


def test_missing_field_message_is_german(coordinator, workshop):
    without = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, text="Bürgerbus auf Zuruf")
    with translation.override("de"), pytest.raises(DomainError) as info:
        to_plan.ideas_to_plan(actor=coordinator, workshop=workshop, ideas=[without])
    assert info.value.message == translation.gettext(
        "Please choose a field of action for the idea “%(idea)s”; every measure belongs to one."
    ) % {"idea": "Bürgerbus auf Zuruf"}


def test_field_chosen_in_the_form_is_used(coordinator, login, urls, workshop, field):
    without = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, text="Bürgerbus auf Zuruf")
    html = login(coordinator).get(urls("documentation")).content.decode()
    assert f'name="field-{without.pk}"' in html and f'<label for="field-{without.pk}">' in html
    response = login(coordinator).post(urls("into_plan"), {"ideas": [without.pk], f"field-{without.pk}": field.pk})
    assert response.status_code == 302
    without.refresh_from_db()
    assert without.measure.field_of_action == field and without.field_of_action == field


def test_field_of_another_process_is_refused(coordinator, workshop, other_process):
    without = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, text="Bürgerbus")
    foreign = FieldOfActionFactory(process=other_process)
    with pytest.raises(DomainError):
        to_plan.ideas_to_plan(
            actor=coordinator, workshop=workshop, ideas=[without], fields_of_action={without.pk: foreign}
        )
    assert not Measure.objects.exists()


def test_carrying_twice_does_not_duplicate(coordinator, login, urls, workshop, idea, field):
    to_plan.ideas_to_plan(actor=coordinator, workshop=workshop, ideas=[idea])
    with pytest.raises(DomainError):
        to_plan.ideas_to_plan(actor=coordinator, workshop=workshop, ideas=[idea])
    second = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, field_of_action=field, text="Zweite")
    new = to_plan.ideas_to_plan(actor=coordinator, workshop=workshop, ideas=[idea, second])
    assert [measure.title for measure in new] == ["Zweite"]
    assert Measure.objects.count() == 2
    # the page offers only the open ideas
    html = login(coordinator).get(urls("documentation")).content.decode()
    assert f'id="idea-{idea.pk}"' not in html and "Alle Ideen der Verwirklichungsphase sind im Plan." in html


@pytest.mark.parametrize(
    "make",
    [
        lambda workshop, field: IdeaFactory(workshop=workshop, phase=Phase.FANTASY, field_of_action=field),
        lambda workshop, field: IdeaFactory(
            workshop=workshop, phase=Phase.REALISATION, field_of_action=field, status=IdeaStatus.HIDDEN
        ),
        lambda workshop, field: IdeaFactory(
            workshop=workshop, phase=Phase.REALISATION, field_of_action=field, status=IdeaStatus.PENDING
        ),
    ],
)
def test_only_visible_realisation_ideas(coordinator, workshop, field, idea, make):
    wrong = make(workshop, field)
    with pytest.raises(DomainError):
        to_plan.ideas_to_plan(actor=coordinator, workshop=workshop, ideas=[idea, wrong])
    assert not Measure.objects.exists()


def test_idea_of_another_workshop_is_refused(coordinator, login, urls, workshop, other_workshop, idea):
    foreign = IdeaFactory(workshop=other_workshop, phase=Phase.REALISATION)
    response = login(coordinator).post(urls("into_plan"), {"ideas": [idea.pk, foreign.pk]})
    assert response.status_code == 200 and not Measure.objects.exists()


def test_nothing_chosen(coordinator, login, urls, idea):
    response = login(coordinator).post(urls("into_plan"), {})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not Measure.objects.exists()


def test_roles(reader, outsider, login, urls, idea, client):
    assert login(reader).post(urls("into_plan"), {"ideas": [idea.pk]}).status_code == 403
    assert login(reader).get(urls("documentation")).status_code == 200
    html = login(reader).get(urls("documentation")).content.decode()
    assert 'name="ideas"' not in html
    assert login(outsider).post(urls("into_plan"), {"ideas": [idea.pk]}).status_code == 404
    assert login(outsider).get(urls("documentation")).status_code == 404
    client.logout()
    assert client.post(urls("into_plan"), {"ideas": [idea.pk]}).status_code in (302, 404)
    assert not Measure.objects.exists()


def test_documentation_query_count(coordinator, login, urls, workshop, field, django_assert_num_queries):
    client = login(coordinator)
    for count in (2, 6):
        while workshop.ideas.count() < count:
            idea = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, field_of_action=field)
            votes(idea, 1, user=coordinator)
        with django_assert_num_queries(DOCUMENTATION_QUERIES):
            assert client.get(urls("documentation")).status_code == 200


DOCUMENTATION_QUERIES = 11
