"""Exports of large plans in the background (django-tasks; ``python manage.py db_worker`` in production).

``export_start`` registers a job under a random token in the cache (the database cache in production, shared by
the web and worker processes) and enqueues ``export_plan_task``. The task renders the export, reporting its
progress into the job, and stores the file beside it. The progress page polls ``job_status``; once the job is
done, the file is downloaded through the Kommune's workspace (the job remembers its Kommune and plan, so nobody
else can fetch it). Jobs and files expire after ``JOB_TTL`` seconds.
"""

from __future__ import annotations

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

logger = logging.getLogger(__name__)

JOB_TTL = 2 * 60 * 60
#: A job queued or running without any progress for this long was interrupted (its worker was killed or restarted):
#: it is shown as failed, with a button to start it again.
STALE_SECONDS = 30 * 60
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def _key(token: str) -> str:
    return f"plans:export:{token}"


def _file_key(token: str) -> str:
    return f"plans:export:{token}:file"


def job_status(token: str) -> dict | None:
    """The job (``status``, ``percent``, ``municipality``, ``plan``, ``format``, ``filename`` …) or None."""
    if not token or not token.isalnum() or len(token) > 64:
        return None
    job = cache.get(_key(token))
    if job and job.get("status") in (QUEUED, RUNNING) and time.time() - job.get("updated", time.time()) > STALE_SECONDS:
        job = {**job, "status": FAILED, "error": _("The export was interrupted. Please start it again.")}
    return job


def _update(token: str, **changes) -> None:
    job = cache.get(_key(token)) or {}
    job.update(changes, updated=time.time())
    cache.set(_key(token), job, JOB_TTL)


def job_file(token: str) -> tuple[str, str, bytes] | None:
    job = job_status(token)
    if not job or job.get("status") != DONE:
        return None
    content = cache.get(_file_key(token))
    return (job["filename"], job["mimetype"], content) if content is not None else None


def export_start(*, plan, user, identifier: str, language: str | None = None) -> str:
    """Queue the export of ``plan`` in format ``identifier``; returns the job's token."""
    token = secrets.token_hex(16)
    cache.set(
        _key(token),
        {
            "status": QUEUED,
            "percent": 0,
            "municipality": plan.municipality_id,
            "plan": plan.pk,
            "user": user.pk,
            "format": identifier,
            "language": language or translation.get_language() or settings.LANGUAGE_CODE,
            "filename": "",
            "mimetype": "",
            "error": "",
            "updated": time.time(),
        },
        JOB_TTL,
    )
    export_plan_task.enqueue(token)
    return token


@task()
def export_plan_task(token: str) -> str:
    """Render the export of job ``token``: queued → running (percent) → done (file stored) or failed."""
    from .exports import get_exporter, plan_document
    from .models import Plan

    job = cache.get(_key(token))
    if not job:
        return ""
    plan = Plan.objects.filter(pk=job["plan"], municipality_id=job["municipality"]).select_related(
        "municipality", "process"
    )
    plan = plan.first()
    exporter = get_exporter(job["format"])
    with translation.override(job.get("language") or settings.LANGUAGE_CODE):
        if plan is None or exporter is None:
            _update(token, status=FAILED, error=_("The plan no longer exists."))
            return ""
        _update(token, status=RUNNING, percent=5)

        def progress(done: int, total: int) -> None:
            percent = 10 + int(85 * done / max(total, 1))
            if percent >= (cache.get(_key(token)) or {}).get("percent", 0) + 5:
                _update(token, percent=percent)

        try:
            document = plan_document(plan=plan)
            _update(token, percent=10)
            filename, mimetype, content = exporter.render(document, progress=progress)
        except Exception:
            logger.exception("Export %s of plan %s failed", job["format"], plan.pk)
            _update(token, status=FAILED, error=_("The export failed. Please try again later."))
            raise
    cache.set(_file_key(token), content, JOB_TTL)
    _update(token, status=DONE, percent=100, filename=filename, mimetype=mimetype)
    return token
