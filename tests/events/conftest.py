import pytest
from django.core.cache import cache

from tests.factories import UserFactory

from .factories import EventFactory, make_network_editor


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the local-memory cache: start every test without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    return make_network_editor(UserFactory(email="netzwerk@example.org", name="Nora Netzwerk"))


@pytest.fixture
def event(db):
    return EventFactory()
