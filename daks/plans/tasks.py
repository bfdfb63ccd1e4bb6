"""Background jobs of the Werkstattplan (run by `python manage.py db_worker` in production)."""

from datetime import date

from django_tasks import task


@task()
def send_plan_digest(today_iso: str) -> int:
    """Queue the weekly digest mails for the ISO week of ``today_iso`` (each person and Kommune once)."""
    from .digest import send_plan_digests

    return send_plan_digests(today=date.fromisoformat(today_iso))
