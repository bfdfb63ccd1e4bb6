import pytest

from .factories import build_workspace


@pytest.fixture
def workspace(municipality, coordinator):
    return build_workspace(municipality, coordinator)
