"""Background jobs of the strategy app (run by `python manage.py db_worker` in production)."""

from datetime import date

from django_tasks import task


@task()
def send_due_reminders(today_iso: str, days: int = 2) -> int:
    """Queue the reminder mails for tasks due within ``days`` days of ``today_iso`` (or overdue)."""
    from .task_services import send_task_reminders

    return send_task_reminders(today=date.fromisoformat(today_iso), days=days)
