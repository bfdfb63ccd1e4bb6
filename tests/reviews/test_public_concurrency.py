"""One response per personal link, also when the same link is submitted from several threads at once.

PostgreSQL: the conditional UPDATE of the invitation (``… WHERE responded_at IS NULL``) waits for the row lock of
the first writer and then matches no row. SQLite: every transaction starts with BEGIN IMMEDIATE, so writers are
serialised. On SQLite the threads work on a file copy of the
test database with the settings' connection options.
"""

import threading
import time

import pytest
from django.db import OperationalError, connections

from daks.core.errors import DomainError
from daks.reviews import surveys
from daks.reviews.models import Answer, Response

from .factories import InvitationFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
TOKEN = "parallel-token-0123456789abcdefghijklmnopqrstuv"


@pytest.mark.parametrize("anonymous", [True, False])
def test_concurrent_submits_of_one_link_store_one_response(survey, thread_database, monkeypatch, anonymous):
    use, main = thread_database
    survey.anonymous = anonymous
    survey.save()
    InvitationFactory(survey=survey, token=TOKEN)
    values = {survey.questions.get(key="coop").pk: 3}
    # Widen the window between claiming the link and writing the response.
    create = Response.objects.create

    def slow_create(**kwargs):
        time.sleep(0.02)
        return create(**kwargs)

    monkeypatch.setattr(Response.objects, "create", slow_create)
    barrier = threading.Barrier(THREADS)
    outcomes, lock = [], threading.Lock()

    def run():
        with use():
            barrier.wait()
            try:
                surveys.response_submit(token=TOKEN, values=values)
                result = "ok"
            except DomainError:
                result = "refused"
            except OperationalError as error:
                result = f"db error: {error}"
            with lock:
                outcomes.append(result)
            connections["default"].close()

    threads = [threading.Thread(target=run) for _index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [outcome for outcome in outcomes if outcome.startswith("db error")] == []
    assert outcomes.count("ok") == 1
    assert outcomes.count("refused") == THREADS - 1
    with main():
        assert Response.objects.count() == 1
        assert Answer.objects.count() == 1
