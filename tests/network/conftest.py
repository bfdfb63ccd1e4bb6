import pytest
from django.core.cache import cache

from daks.network import mapdata


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    mapdata.germany_map.cache_clear()
    yield
    cache.clear()
