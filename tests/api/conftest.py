import pytest

from daks.api import tokens
from daks.api.models import TokenScope


@pytest.fixture
def make_token(db):
    """``make_token(user, municipality, scope="read"|"write", **kwargs)`` → the raw token."""

    def make(user, municipality, scope=TokenScope.WRITE, **kwargs):
        _token, raw = tokens.token_create(
            user=user, municipality=municipality, name=kwargs.pop("name", "Test"), scope=scope, **kwargs
        )
        return raw

    return make


@pytest.fixture
def api_client(client):
    """``api_client(raw_token)`` → a test client that sends ``Authorization: Bearer <raw_token>``."""

    def make(raw=None):
        if raw:
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        else:
            client.defaults.pop("HTTP_AUTHORIZATION", None)
        return client

    return make
