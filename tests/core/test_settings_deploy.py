"""Production settings pass Django's deployment checklist, send the security headers and refuse to start without a
SECRET_KEY (docs/security.md)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Variables of the developer's or CI's environment that would change the production settings.
_SETTINGS_VARIABLES = {
    "DEBUG",
    "DAKS_TESTING",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DAKS_BASE_URL",
    "DATABASE_URL",
    "EMAIL_URL",
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "BEHIND_PROXY",
    "SECURE_PROXY_SSL_HEADER",
    "DAKS_TRUSTED_PROXY_COUNT",
    "DAKS_SESSION_IDLE_MINUTES",
    "DAKS_SESSION_MAX_HOURS",
    "DAKS_TASKS_BACKEND",
    "DJANGO_SETTINGS_MODULE",
}


def production_env(tmp_path, **overrides):
    env = {key: value for key, value in os.environ.items() if key not in _SETTINGS_VARIABLES}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="daks.example.org",
        DAKS_BASE_URL="https://daks.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
        EMAIL_URL="smtp://localhost:25",
        DAKS_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


@pytest.mark.parametrize("secret_key", [None, ""], ids=["unset", "empty"])
def test_production_refuses_to_start_without_secret_key(tmp_path, secret_key):
    result = manage("check", env=production_env(tmp_path, SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr, result.stderr
    assert "SECRET_KEY must be set" in result.stderr, result.stderr


# Run inside the production settings (no database tables needed: /healthz only runs "SELECT 1", and the HTTPS
# redirect happens before any view). Prints the settings and the response headers as JSON.
_PROBE = """
import json
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="daks.example.org")
plain = client.get("/werkzeugkoffer/")
secure = client.get("/healthz", secure=True)
proxied = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_SSL="on")
names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
         "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_AGE",
         "DAKS_SESSION_IDLE_MINUTES", "CONTENT_SECURITY_POLICY"]
print(json.dumps({
    "settings": {name: getattr(settings, name, None) for name in names},
    "plain": [plain.status_code, plain.headers.get("Location", "")],
    "secure": dict(secure.headers),
    "proxied": dict(proxied.headers),
}, default=str))
"""


def probe(tmp_path, **overrides):
    result = manage("shell", "--no-startup", "-c", _PROBE, env=production_env(tmp_path, **overrides))
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_security_headers_and_secure_cookies(tmp_path):
    data = probe(tmp_path)
    config = data["settings"]
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["CSRF_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SECURE_SSL_REDIRECT"] is True
    assert config["SECURE_HSTS_SECONDS"] == 31536000
    assert config["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert config["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert config["SESSION_COOKIE_AGE"] == 12 * 3600
    assert config["DAKS_SESSION_IDLE_MINUTES"] == 60
    directives = config["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    for directive in ("default-src", "script-src", "style-src"):
        assert not any("unsafe" in value for value in directives[directive]), directive

    # Plain HTTP is redirected to HTTPS.
    assert data["plain"] == [301, "https://daks.example.org/werkzeugkoffer/"]

    for headers in (data["secure"], data["proxied"]):  # HTTPS directly and behind the reverse proxy
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        policy = headers["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"):
            assert feature in policy
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp


def test_production_settings_follow_the_environment(tmp_path):
    data = probe(
        tmp_path,
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_SSL,on",
        DAKS_SESSION_IDLE_MINUTES="15",
        DAKS_SESSION_MAX_HOURS="8",
    )
    config = data["settings"]
    assert config["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_SSL", "on"]
    assert (config["DAKS_SESSION_IDLE_MINUTES"], config["SESSION_COOKIE_AGE"]) == (15, 8 * 3600)
    assert data["secure"]["Strict-Transport-Security"] == "max-age=600; includeSubDomains"
    # The configured header marks the proxied request as HTTPS.
    assert data["proxied"]["Strict-Transport-Security"] == "max-age=600; includeSubDomains"


def test_malformed_proxy_header_setting_is_refused(tmp_path):
    result = manage("check", env=production_env(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"))
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must be" in result.stderr, result.stderr
