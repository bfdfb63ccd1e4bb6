"""Background jobs of the Zwischenbilanz (run by `python manage.py db_worker` in production)."""

from django_tasks import task


@task()
def send_survey_reminders(days: int = 3) -> int:
    """Remind non-respondents of open surveys whose last mail is at least ``days`` days old."""
    from .surveys import send_due_reminders

    return send_due_reminders(days=days)
