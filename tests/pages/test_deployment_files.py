"""The production recipes (Containerfile, compose.example.yaml, docs/deployment.md) only run what exists."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = (ROOT / "Containerfile").read_text(encoding="utf-8")
COMPOSE_TEXT = (ROOT / "compose.example.yaml").read_text(encoding="utf-8")
DEPLOYMENT = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")


def _commands(text: str) -> set[str]:
    named = set(re.findall(r"manage\.py\s+([a-z_]+)", text))
    named |= set(re.findall(r"daks-job@([a-z_]+)\.service", text))
    return named


def test_every_management_command_named_exists():
    commands = get_commands()
    named = _commands(CONTAINERFILE) | _commands(COMPOSE_TEXT) | _commands(DEPLOYMENT)
    expected = {
        "db_worker",
        "migrate",
        "createcachetable",
        "collectstatic",
        "send_task_reminders",
        "send_plan_digest",
        "send_survey_reminders",
        "purge_deletions",
        "purge_workspace_exports",
        "backup",
    }
    assert expected <= named, expected - named
    assert sorted(name for name in named if name not in commands) == []


def test_container_image_recipe():
    assert re.search(r"^FROM python:3\.11-slim", CONTAINERFILE, re.MULTILINE)
    for package in ["libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"]:
        assert package in CONTAINERFILE, package
    user = re.search(r"^USER (\S+)", CONTAINERFILE, re.MULTILINE).group(1)
    assert user not in {"root", "0"}
    assert "collectstatic --noinput" in CONTAINERFILE
    assert 'CMD ["gunicorn", "config.wsgi"]' in CONTAINERFILE
    assert importlib.util.find_spec("config.wsgi") is not None
    healthcheck = re.search(r'HEALTHCHECK .*?python -c "(.*?)"\n', CONTAINERFILE, re.DOTALL).group(1)
    assert "/healthz" in healthcheck
    compile(healthcheck, "healthcheck", "exec")
    # Every file the image copies exists.
    for line in re.findall(r"^COPY (.+)$", CONTAINERFILE, re.MULTILINE):
        for source in line.split()[:-1]:
            assert (ROOT / source).exists(), source


def test_compose_example():
    compose = yaml.safe_load(COMPOSE_TEXT)
    services = compose["services"]
    assert {"postgres", "web", "worker"} <= set(services)
    assert services["worker"]["command"][:3] == ["python", "manage.py", "db_worker"]
    assert services["web"]["command"] == ["gunicorn", "config.wsgi"]
    assert services["web"]["build"]["dockerfile"] == "Containerfile"
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        database_url = environment["DATABASE_URL"]
        assert database_url.startswith("postgres://") and "@postgres:5432/" in database_url
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_cache_url_switches_to_redis():
    code = "from django.conf import settings; import django; django.setup(); print(settings.CACHES['default'])"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DAKS_TESTING": "true",
        "CACHE_URL": "redis://cache.internal:6379/1",
    }
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "django.core.cache.backends.redis.RedisCache" in output and "redis://cache.internal:6379/1" in output


def _nginx_megabytes(value: str) -> int:
    return int(value.rstrip("m")) * 1024 * 1024


def test_nginx_body_limits_let_every_allowed_upload_through():
    """The nginx example must not refuse an upload the application accepts (a bare 413 page instead of the
    application's German message): the server-wide limit covers documents, and the addresses of the larger
    uploads have their own location with a limit above the application's."""
    from django.conf import settings
    from django.urls import resolve

    from daks.events.forms import MAX_SLIDES_BYTES
    from daks.toolbox.services import VIDEO_MAX_BYTES

    server_wide = re.search(r"^    client_max_body_size (\d+m);", DEPLOYMENT, re.MULTILINE)
    assert _nginx_megabytes(server_wide.group(1)) > settings.DAKS_DOCUMENT_MAX_BYTES
    locations = {
        pattern: _nginx_megabytes(size)
        for pattern, size in re.findall(
            r"location ~ (\^[^ ]+\$) \{\s+client_max_body_size (\d+m);", DEPLOYMENT, re.MULTILINE
        )
    }
    for path, view_name, limit in [
        ("/werkzeugkoffer/redaktion/werkzeuge/1/video/", "toolbox_editorial:video", VIDEO_MAX_BYTES),
        ("/veranstaltungen/verwaltung/1/material/", "events:material", MAX_SLIDES_BYTES),
    ]:
        assert resolve(path).view_name == view_name
        sizes = [size for pattern, size in locations.items() if re.match(pattern, path)]
        assert sizes and sizes[0] > limit, (path, sizes)
