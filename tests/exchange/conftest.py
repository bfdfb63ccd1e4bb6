import pytest

from tests.factories import UserFactory

from . import factories


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the (process-wide) local-memory cache; user ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def topic(db):
    return factories.topic("wohnen")


@pytest.fixture
def other_topic(db):
    return factories.topic("buergerbeteiligung")


@pytest.fixture
def member(contributor):
    """A member of Musterstadt (asks the questions)."""
    return contributor


@pytest.fixture
def peer(outsider):
    """A member of another Kommune (Anderdorf) — answers."""
    return outsider


@pytest.fixture
def loner(db):
    """Signed in, but member of no Kommune."""
    return UserFactory(name="Lena Einzeln")


@pytest.fixture
def editor(db):
    """The editorial office of the network (staff, no Kommune)."""
    return factories.make_network_editor(UserFactory(name="Rita Redaktion"))


@pytest.fixture
def question(topic, member, municipality):
    return factories.QuestionFactory(topic=topic, author=member, municipality=municipality, title="Wohnberatung?")


@pytest.fixture
def answer(question, peer):
    return factories.AnswerFactory(question=question, author=peer, body="Wir haben eine Sprechstunde.")
