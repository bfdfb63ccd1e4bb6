import pytest

from tests.factories import UserFactory

from .factories import make_editor, make_reviewer


@pytest.fixture
def editor(db):
    return make_editor(UserFactory(email="redaktion@example.org", name="Rita Redaktion"))


@pytest.fixture
def reviewer(db):
    return make_reviewer(UserFactory(email="pruefung@example.org", name="Paul Prüfung"))
