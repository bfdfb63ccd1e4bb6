"""Production settings pass Django's deployment checklist and refuse to start without a SECRET_KEY."""

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
