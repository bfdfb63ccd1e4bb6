"""Concurrent registrations never exceed the capacity (real transactions, several threads).

PostgreSQL: ``registration_create`` locks the event row (SELECT … FOR UPDATE). SQLite: every transaction starts
with BEGIN IMMEDIATE (config/settings.py), so writers are serialised. Runs on whichever database the suite uses
(``make test`` → SQLite, ``make test-postgres`` → PostgreSQL); the ``thread_database`` fixture (tests/conftest.py)
gives the threads their database.
"""

import itertools
import threading
import time

import pytest

from daks.events import services
from daks.events.models import Registration, RegistrationStatus

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
ATTEMPTS = 3


@pytest.fixture
def slow_create(monkeypatch):
    """Widen the window between counting the confirmed registrations and inserting the new one."""
    create = Registration.objects.create

    def slow(**kwargs):
        time.sleep(0.01)
        return create(**kwargs)

    monkeypatch.setattr(Registration.objects, "create", slow)


def test_concurrent_registrations_never_exceed_the_capacity(thread_database, slow_create):
    event = EventFactory(capacity=5)
    numbers = itertools.count()
    numbers_lock = threading.Lock()

    def register():
        with numbers_lock:
            number = next(numbers)
        registration, _token = services.registration_create(
            event=event, name=f"Person {number}", email=f"person{number}@example.org", consent=True
        )
        return registration.status

    outcomes = thread_database.hammer(register, threads=THREADS, attempts=ATTEMPTS)
    assert not [outcome for outcome in outcomes if outcome.startswith("db error")], outcomes
    assert outcomes.count(RegistrationStatus.CONFIRMED) == 5
    assert outcomes.count(RegistrationStatus.WAITING) == THREADS * ATTEMPTS - 5
    with thread_database.main():
        assert Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 5
        waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).order_by("pk")
        assert [services.waiting_position(r) for r in waiting] == list(range(1, THREADS * ATTEMPTS - 5 + 1))


def test_concurrent_registrations_with_one_address_write_one(thread_database, slow_create):
    event = EventFactory(capacity=None)

    def register():
        services.registration_create(event=event, name="Anna", email="anna@example.org", consent=True)
        return "ok"

    outcomes = thread_database.hammer(register, threads=THREADS, attempts=ATTEMPTS)
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("refused") == THREADS * ATTEMPTS - 1
    with thread_database.main():
        assert Registration.objects.filter(event=event).count() == 1


def test_concurrent_cancellations_promote_each_waiting_person_once(thread_database):
    event = EventFactory(capacity=THREADS)
    tokens = []
    for index in range(THREADS):
        token = f"token-{index}"
        RegistrationFactory(event=event, email=f"c{index}@example.org", token_hash=services.hash_token(token))
        tokens.append(token)
    for index in range(THREADS // 2):
        RegistrationFactory(event=event, email=f"w{index}@example.org", status=RegistrationStatus.WAITING)
    assignment = iter(tokens)
    assignment_lock = threading.Lock()
    local = threading.local()

    def cancel():
        if not hasattr(local, "token"):
            with assignment_lock:
                local.token = next(assignment)
        services.registration_cancel(token=local.token)
        return "ok"

    outcomes = thread_database.hammer(cancel, threads=THREADS, attempts=ATTEMPTS)
    assert outcomes.count("ok") == THREADS, outcomes  # each token once; the repeats are refused
    with thread_database.main():
        confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        assert sorted(r.email for r in confirmed) == [f"w{index}@example.org" for index in range(THREADS // 2)]
        assert not Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).exists()
