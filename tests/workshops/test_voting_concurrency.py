"""The points budget holds under concurrent requests of one voter (real transactions, several threads).

PostgreSQL: ``vote_add`` locks the voter's row (SELECT … FOR UPDATE). SQLite: every transaction starts with
BEGIN IMMEDIATE (config/settings.py), so writers are serialised. Runs on whichever database the suite uses
(``make test`` → SQLite, ``make test-postgres`` → PostgreSQL); the ``thread_database`` fixture (tests/conftest.py)
gives the threads their database.
"""

import threading
import time

import pytest
from django.db import OperationalError, connections

from daks.core.errors import DomainError
from daks.workshops import participation
from daks.workshops.models import Phase, Vote, VotingScope

from .factories import IdeaFactory, ParticipantFactory, ParticipationLinkFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
ATTEMPTS = 3  # per thread: 24 attempts for a budget of 5


def _hammer(target, count, use):
    """Run ``target`` from ``count`` threads started at the same moment; collect outcomes."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run():
        with use():
            barrier.wait()
            for _attempt in range(ATTEMPTS):
                try:
                    target()
                    result = "ok"
                except DomainError:
                    result = "refused"
                except OperationalError as error:  # SQLite: "database is locked" after the busy timeout
                    result = f"db error: {error}"
                with lock:
                    outcomes.append(result)
            connections["default"].close()

    threads = [threading.Thread(target=run) for _index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_votes_of_one_participant_never_exceed_the_budget(workshop, thread_database, monkeypatch):
    use, main = thread_database
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

    outcomes = _hammer(vote, THREADS, use)
    errors = [outcome for outcome in outcomes if outcome.startswith("db error")]
    assert not errors, errors
    assert outcomes.count("ok") == 5
    assert outcomes.count("refused") == THREADS * ATTEMPTS - 5
    with main():
        assert Vote.objects.filter(participant=participant).count() == 5


def test_concurrent_votes_of_different_participants_are_all_counted(workshop, thread_database):
    use, main = thread_database
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

    outcomes = _hammer(vote, THREADS, use)
    assert outcomes.count("ok") == THREADS * ATTEMPTS, outcomes
    with main():
        assert Vote.objects.filter(idea=idea).count() == THREADS * ATTEMPTS
