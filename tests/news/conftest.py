import pytest

from tests.factories import UserFactory

from .factories import make_network_editor


@pytest.fixture
def editor(db):
    return make_network_editor(UserFactory(email="netzwerk@example.org", name="Nora Netzwerk"))


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the (process-wide) local-memory cache: start every test without them."""
    from django.core.cache import cache

    cache.clear()
