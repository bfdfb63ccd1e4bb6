"""Contract tests: schemathesis generates requests from the OpenAPI schema of /api/v1/ and checks every answer —
no server error ever, and answers conform to the schema (status codes and bodies as documented).

Bounded for CI: a fixed number of examples per operation (``DAKS_CONTRACT_EXAMPLES``, default 10), derandomised
so a failure reproduces. Workspace operations run with a read-write token of a Kommune whose slug is put into
every path, so generated bodies reach the services (and their validation) instead of stopping at 404.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from daks.api import tokens
from daks.municipalities.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory

EXAMPLES = int(os.environ.get("DAKS_CONTRACT_EXAMPLES", "10"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Schemathesis calls the WSGI application directly, whose request signals close "old" database connections;
    inside a test's transaction on PostgreSQL that would close the test's own connection. Django's test client
    disconnects the same handlers for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def contract_token(db, settings, keep_test_connection):
    settings.DAKS_API_RATE_LIMITS = {"token": (10**9, 60), "address": (10**9, 60)}
    municipality = MunicipalityFactory(slug="kontrakt", name="Kontraktstadt")
    membership = MembershipFactory(municipality=municipality, role=Role.COORDINATION)
    _token, raw = tokens.token_create(user=membership.user, municipality=municipality, name="Kontrakt", scope="write")
    return raw


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_contract(case, contract_token):
    if "slug" in (case.path_parameters or {}):
        case.path_parameters["slug"] = "kontrakt"
    case.call_and_validate(
        headers={"Authorization": f"Bearer {contract_token}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
