"""One response per personal link, also when the same link is submitted from several threads at once.

PostgreSQL: the conditional UPDATE of the invitation (``… WHERE responded_at IS NULL``) waits for the row lock of
the first writer and then matches no row. SQLite: every transaction starts with BEGIN IMMEDIATE, so writers are
serialised. On SQLite the threads work on a file copy of the
test database with the settings' connection options.
"""

import time

import pytest

from daks.reviews import surveys
from daks.reviews.models import Answer, Response

from .factories import InvitationFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
TOKEN = "parallel-token-0123456789abcdefghijklmnopqrstuv"


@pytest.mark.parametrize("anonymous", [True, False])
def test_concurrent_submits_of_one_link_store_one_response(survey, thread_database, monkeypatch, anonymous):
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

    def submit():
        surveys.response_submit(token=TOKEN, values=values)

    outcomes = thread_database.hammer(submit, threads=THREADS)
    assert [outcome for outcome in outcomes if outcome.startswith("db error")] == []
    assert outcomes.count("ok") == 1
    assert outcomes.count("refused") == THREADS - 1
    with thread_database.main():
        assert Response.objects.count() == 1
        assert Answer.objects.count() == 1
