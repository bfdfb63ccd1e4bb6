import os

import pytest

from daks.municipalities.models import Role

from .factories import DEFAULT_PASSWORD, MembershipFactory, MunicipalityFactory, UserFactory

os.environ.setdefault("DAKS_TESTING", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Musterstadt", slug="musterstadt", official_key="09162999")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Anderdorf", slug="anderdorf", official_key="08111999", state="DE-BW")


def _member(municipality, role):
    return MembershipFactory(municipality=municipality, role=role).user


@pytest.fixture
def coordinator(municipality):
    return _member(municipality, Role.COORDINATION)


@pytest.fixture
def contributor(municipality):
    return _member(municipality, Role.CONTRIBUTOR)


@pytest.fixture
def reader(municipality):
    return _member(municipality, Role.READER)


@pytest.fixture
def advisor(municipality):
    return _member(municipality, Role.ADVISOR)


@pytest.fixture
def outsider(other_municipality):
    """A member of another Kommune (with full rights there)."""
    return _member(other_municipality, Role.COORDINATION)


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def login(client):
    """``login(user)`` signs ``user`` in on the test client and returns the client."""

    def do_login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return do_login
