"""Security headers and cookies in the test client (production-like: DEBUG off), the client address behind proxies."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from daks.core.security import ClientAddressMiddleware, PermissionsPolicyMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    settings.DEBUG = False
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/werkzeugkoffer/", "/gibt-es-nicht/"])
def test_every_page_sends_the_security_headers(client, production_like, path):
    response = client.get(path, secure=True)
    assert response.status_code in {200, 404}
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "interest-cohort=()" in response["Permissions-Policy"]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_plain_http_is_redirected_behind_the_proxy_too(client, production_like):
    response = client.get("/werkzeugkoffer/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/werkzeugkoffer/"
    assert client.get("/werkzeugkoffer/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    # The load balancer's health check stays reachable over plain HTTP.
    assert client.get("/healthz").status_code == 200


def test_session_and_csrf_cookies_are_secure_and_http_only(client, production_like, user, password):
    page = client.get(reverse("account_login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(reverse("account_login"), {"login": user.email, "password": password}, secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_permissions_policy_keeps_a_header_a_view_set_itself(settings):
    settings.DAKS_PERMISSIONS_POLICY = "camera=()"
    own = HttpResponse()
    own["Permissions-Policy"] = "fullscreen=(self)"
    assert PermissionsPolicyMiddleware(lambda request: own)(RequestFactory().get("/"))["Permissions-Policy"] == (
        "fullscreen=(self)"
    )
    response = PermissionsPolicyMiddleware(lambda request: HttpResponse())(RequestFactory().get("/"))
    assert response["Permissions-Policy"] == "camera=()"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "127.0.0.1"),  # no own proxy: X-Forwarded-For is ignored (anybody can send it)
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left entry was made up by the client
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # fewer entries than proxies: the leftmost one
        (1, "", "127.0.0.1"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.DAKS_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    seen = {}
    ClientAddressMiddleware(lambda req: seen.setdefault("address", req.META["REMOTE_ADDR"]) and HttpResponse())(request)
    assert seen["address"] == expected
