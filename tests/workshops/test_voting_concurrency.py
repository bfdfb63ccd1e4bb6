"""The points budget holds under concurrent requests of one voter (real transactions, several threads).

PostgreSQL: ``vote_add`` locks the voter's row (SELECT … FOR UPDATE). SQLite: every transaction starts with
BEGIN IMMEDIATE (config/settings.py), so writers are serialised. Runs on whichever database the suite uses
(``make test`` → SQLite, ``make test-postgres`` → PostgreSQL); the ``thread_database`` fixture (tests/conftest.py)
gives the threads their database.
"""

import threading
import time

import pytest

from daks.workshops import participation
from daks.workshops.models import Phase, Vote, VotingScope

from .factories import IdeaFactory, ParticipantFactory, ParticipationLinkFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
ATTEMPTS = 3  # per thread: 24 attempts for a budget of 5


def test_concurrent_votes_of_one_participant_never_exceed_the_budget(workshop, thread_database, monkeypatch):
    # Widen the window between counting the used points and inserting the new one, so that a missing lock
    # would let several threads pass the check at the same time.
    create = Vote.objects.create

    def slow_create(**kwargs):
        time.sleep(0.01)
        return create(**kwargs)

    monkeypatch.setattr(Vote.objects, "create", slow_create)
    workshop.voting_open = True
    workshop.votes_per_participant = 5
    workshop.voting_scope = VotingScope.REALISATION
    workshop.save()
    link = ParticipationLinkFactory(workshop=workshop)
    participant = ParticipantFactory(link=link)
    ideas = [IdeaFactory(workshop=workshop, phase=Phase.REALISATION) for _index in range(3)]
    counter = iter(range(10_000))
    counter_lock = threading.Lock()

    def vote():
        with counter_lock:
            idea = ideas[next(counter) % len(ideas)]
        participation.vote_add(idea=idea, participant=participant, link=link)

    outcomes = thread_database.hammer(vote, threads=THREADS, attempts=ATTEMPTS)
    errors = [outcome for outcome in outcomes if outcome.startswith("db error")]
    assert not errors, errors
    assert outcomes.count("ok") == 5
    assert outcomes.count("refused") == THREADS * ATTEMPTS - 5
    with thread_database.main():
        assert Vote.objects.filter(participant=participant).count() == 5


def test_concurrent_votes_of_different_participants_are_all_counted(workshop, thread_database):
    workshop.voting_open = True
    workshop.votes_per_participant = ATTEMPTS
    workshop.voting_scope = VotingScope.REALISATION
    workshop.save()
    link = ParticipationLinkFactory(workshop=workshop)
    idea = IdeaFactory(workshop=workshop, phase=Phase.REALISATION)
    participants = [ParticipantFactory(link=link) for _index in range(THREADS)]
    local = threading.local()
    assign = iter(participants)
    assign_lock = threading.Lock()

    def vote():
        if not hasattr(local, "participant"):
            with assign_lock:
                local.participant = next(assign)
        participation.vote_add(idea=idea, participant=local.participant, link=link)

    outcomes = thread_database.hammer(vote, threads=THREADS, attempts=ATTEMPTS)
    assert outcomes.count("ok") == THREADS * ATTEMPTS, outcomes
    with thread_database.main():
        assert Vote.objects.filter(idea=idea).count() == THREADS * ATTEMPTS
