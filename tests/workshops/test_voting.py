"""Dot voting: budget, several dots per idea, taking back, scopes, results with ties, public voting pages."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from daks.core.errors import DomainError
from daks.workshops import participation
from daks.workshops.models import IdeaStatus, Participant, Phase, Vote, VotingScope

from .factories import IdeaFactory, ParticipantFactory, ParticipationLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def voting_workshop(workshop):
    workshop.voting_open = True
    workshop.votes_per_participant = 3
    workshop.voting_scope = VotingScope.REALISATION
    workshop.current_phase = Phase.REALISATION
    workshop.save()
    return workshop


@pytest.fixture
def link(voting_workshop):
    return ParticipationLinkFactory(workshop=voting_workshop)


@pytest.fixture
def participant(link):
    return ParticipantFactory(link=link)


def realisation(workshop, **kwargs):
    return IdeaFactory(workshop=workshop, phase=Phase.REALISATION, **kwargs)


# --- Services -----------------------------------------------------------------------------------------


def test_budget_allows_several_dots_on_one_idea_and_never_more(voting_workshop, link, participant):
    first, second = realisation(voting_workshop), realisation(voting_workshop)
    participation.vote_add(idea=first, participant=participant, link=link)
    participation.vote_add(idea=first, participant=participant, link=link)
    participation.vote_add(idea=second, participant=participant, link=link)
    with pytest.raises(DomainError, match=r"alle Ihre Punkte|all your points"):
        participation.vote_add(idea=second, participant=participant, link=link)
    assert Vote.objects.filter(participant=participant).count() == 3
    budget = participation.voter_budget(voting_workshop, participant=participant)
    assert (budget.used, budget.remaining, budget.mine) == (3, 0, {first.pk: 2, second.pk: 1})


def test_remove_own_dot_frees_a_point(voting_workshop, link, participant):
    idea = realisation(voting_workshop)
    for _dot in range(3):
        participation.vote_add(idea=idea, participant=participant, link=link)
    participation.vote_remove(idea=idea, participant=participant, link=link)
    assert participation.voter_budget(voting_workshop, participant=participant).remaining == 1
    participation.vote_add(idea=idea, participant=participant, link=link)
    assert Vote.objects.count() == 3


def test_remove_without_own_dot_is_refused(voting_workshop, link, participant):
    idea = realisation(voting_workshop)
    other = ParticipantFactory(link=link)
    participation.vote_add(idea=idea, participant=other, link=link)
    with pytest.raises(DomainError):
        participation.vote_remove(idea=idea, participant=participant, link=link)
    assert Vote.objects.count() == 1


def test_budgets_are_per_voter(voting_workshop, link, participant, coordinator):
    idea = realisation(voting_workshop)
    other = ParticipantFactory(link=link)
    for _dot in range(3):
        participation.vote_add(idea=idea, participant=participant, link=link)
        participation.vote_add(idea=idea, participant=other, link=link)
        participation.vote_add(idea=idea, user=coordinator)
    assert Vote.objects.filter(idea=idea).count() == 9
    with pytest.raises(DomainError):
        participation.vote_add(idea=idea, user=coordinator)


def test_voting_closed_refuses(voting_workshop, link, participant):
    idea = realisation(voting_workshop)
    voting_workshop.voting_open = False
    voting_workshop.save()
    with pytest.raises(DomainError, match=r"nicht geöffnet|not open"):
        participation.vote_add(idea=idea, participant=participant, link=link)
    assert not Vote.objects.exists()


def test_realisation_scope_refuses_other_phases_and_pending_ideas(voting_workshop, link, participant):
    critique = IdeaFactory(workshop=voting_workshop, phase=Phase.CRITIQUE)
    pending = realisation(voting_workshop, status=IdeaStatus.PENDING)
    for idea in (critique, pending):
        with pytest.raises(DomainError):
            participation.vote_add(idea=idea, participant=participant, link=link)
    assert not Vote.objects.exists()


def test_per_phase_scope_gives_a_budget_in_each_phase(voting_workshop, link, participant):
    voting_workshop.voting_scope = VotingScope.PER_PHASE
    voting_workshop.current_phase = Phase.CRITIQUE
    voting_workshop.save()
    critique = IdeaFactory(workshop=voting_workshop, phase=Phase.CRITIQUE)
    fantasy = IdeaFactory(workshop=voting_workshop, phase=Phase.FANTASY)
    for _dot in range(3):
        participation.vote_add(idea=critique, participant=participant, link=link)
    with pytest.raises(DomainError, match=r"in dieser Phase|in this phase"):
        participation.vote_add(idea=critique, participant=participant, link=link)
    # Ideas of another phase are not voted on now …
    with pytest.raises(DomainError):
        participation.vote_add(idea=fantasy, participant=participant, link=link)
    # … but once the workshop moves on, the next phase has its own points.
    voting_workshop.current_phase = Phase.FANTASY
    voting_workshop.save()
    for _dot in range(3):
        participation.vote_add(idea=fantasy, participant=participant, link=link)
    assert participation.voter_budget(voting_workshop, participant=participant).remaining == 0
    assert Vote.objects.count() == 6


def test_all_scope_counts_every_phase_together(voting_workshop, link, participant):
    voting_workshop.voting_scope = VotingScope.ALL
    voting_workshop.save()
    ideas = [IdeaFactory(workshop=voting_workshop, phase=phase) for phase in Phase.values]
    for idea in ideas:
        participation.vote_add(idea=idea, participant=participant, link=link)
    with pytest.raises(DomainError):
        participation.vote_add(idea=ideas[0], participant=participant, link=link)


def test_closed_link_refuses_votes(voting_workshop, link, participant, coordinator):
    idea = realisation(voting_workshop)
    participation.link_close(actor=coordinator, link=link)
    with pytest.raises(participation.LinkUnavailable):
        participation.vote_add(idea=idea, participant=participant, link=link)
    assert not Vote.objects.exists()


def test_idea_of_another_workshop_is_refused(voting_workshop, other_workshop, link, participant):
    other_workshop.voting_open = True
    other_workshop.save()
    idea = IdeaFactory(workshop=other_workshop, phase=Phase.REALISATION)
    with pytest.raises(DomainError):
        participation.vote_add(idea=idea, participant=participant, link=link)
    assert not Vote.objects.exists()


# --- Results ------------------------------------------------------------------------------------------


def test_results_ranked_with_ties_visible(voting_workshop, link):
    a, b, c, _d = (realisation(voting_workshop, text=text) for text in "ABCD")
    IdeaFactory(workshop=voting_workshop, phase=Phase.CRITIQUE, text="not in scope")
    realisation(voting_workshop, text="hidden", status=IdeaStatus.HIDDEN)
    voters = [ParticipantFactory(link=link) for _index in range(3)]
    for voter, idea in [(voters[0], a), (voters[0], a), (voters[1], b), (voters[1], b), (voters[2], c)]:
        participation.vote_add(idea=idea, participant=voter, link=link)
    results = participation.vote_results(voting_workshop)
    assert [(row.idea.text, row.rank, row.tied, row.points, row.voters) for row in results.rows] == [
        ("A", 1, True, 2, 1),
        ("B", 1, True, 2, 1),
        ("C", 3, False, 1, 1),
        ("D", 4, False, 0, 0),
    ]
    assert results.total_points == 5
    assert results.rows[0].share == 1.0 and results.rows[2].share == 0.5


def test_results_count_distinct_persons(voting_workshop, link, coordinator):
    idea = realisation(voting_workshop)
    participant = ParticipantFactory(link=link)
    participation.vote_add(idea=idea, participant=participant, link=link)
    participation.vote_add(idea=idea, participant=participant, link=link)
    participation.vote_add(idea=idea, user=coordinator)
    row = participation.vote_results(voting_workshop).rows[0]
    assert (row.points, row.voters) == (3, 2)


def test_results_of_a_phase_and_query_count(voting_workshop, link, django_assert_num_queries):
    voting_workshop.voting_scope = VotingScope.ALL
    voting_workshop.save()
    for index in range(10):
        IdeaFactory(workshop=voting_workshop, phase=Phase.CRITIQUE if index % 2 else Phase.FANTASY)
    with django_assert_num_queries(1):
        results = participation.vote_results(voting_workshop, Phase.CRITIQUE)
    assert len(results.rows) == 5
    assert {row.idea.phase for row in results.rows} == {Phase.CRITIQUE}
    assert len(participation.vote_results(voting_workshop).rows) == 10


def test_results_chart_is_accessible_svg_with_escaped_text(voting_workshop, link):
    realisation(voting_workshop, text='<script>alert("x")</script>')
    svg = str(participation.vote_results(voting_workshop).chart)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg


# --- Public voting pages ------------------------------------------------------------------------------


def _join(client, workshop, coordinator):
    now = timezone.now()
    link, token = participation.link_create(
        actor=coordinator,
        workshop=workshop,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=2),
        use_pin=False,
    )
    assert client.post(f"/mitmachen/{token}/teilnehmen/").status_code == 302
    return link, token


def test_public_voting_until_budget_then_german_refusal(client, voting_workshop, coordinator):
    idea = realisation(voting_workshop, text="Bürgerbus")
    _link, token = _join(client, voting_workshop, coordinator)
    page = client.get(f"/mitmachen/{token}/").content.decode()
    assert "3" in page and "punkt/" in page
    for _dot in range(3):
        assert client.post(f"/mitmachen/{token}/ideen/{idea.pk}/punkt/").status_code == 302
    page = client.get(f"/mitmachen/{token}/").content.decode()
    assert f"/ideen/{idea.pk}/punkt/" not in page  # no button any more
    assert f"/ideen/{idea.pk}/punkt-zuruecknehmen/" in page
    response = client.post(f"/mitmachen/{token}/ideen/{idea.pk}/punkt/")
    assert response.status_code == 409
    assert "alle Ihre Punkte" in response.content.decode() or "all your points" in response.content.decode()
    assert Vote.objects.count() == 3
    assert client.post(f"/mitmachen/{token}/ideen/{idea.pk}/punkt-zuruecknehmen/").status_code == 302
    assert Vote.objects.count() == 2


def test_public_voting_closed_shows_no_buttons_and_refuses(client, voting_workshop, coordinator):
    idea = realisation(voting_workshop)
    voting_workshop.voting_open = False
    voting_workshop.save()
    _link, token = _join(client, voting_workshop, coordinator)
    assert "punkt/" not in client.get(f"/mitmachen/{token}/").content.decode()
    assert client.post(f"/mitmachen/{token}/ideen/{idea.pk}/punkt/").status_code == 409
    assert not Vote.objects.exists()


def test_public_page_query_count_is_constant(client, voting_workshop, coordinator, django_assert_max_num_queries):
    _link, token = _join(client, voting_workshop, coordinator)
    for _index in range(3):
        realisation(voting_workshop)
    client.get(f"/mitmachen/{token}/")
    with django_assert_max_num_queries(8) as few:
        client.get(f"/mitmachen/{token}/")
    for _index in range(20):
        realisation(voting_workshop)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/mitmachen/{token}/")
    assert Participant.objects.count() == 1
