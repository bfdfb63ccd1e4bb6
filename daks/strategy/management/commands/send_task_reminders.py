"""Daily job: remind assignees of open tasks that are due soon or overdue (once per due date)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from daks.strategy.task_services import send_task_reminders


class Command(BaseCommand):
    help = "Queue reminder mails for open tasks due within N days or overdue (once per due date)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="Remind of tasks due within this many days.")
        parser.add_argument("--today", help="The date to assume as today (YYYY-MM-DD), default: the current date.")

    def handle(self, *args, days, today, **options):
        if days < 0:
            raise CommandError("--days must not be negative.")
        try:
            today_date = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today must be a date in the form YYYY-MM-DD.") from None
        sent = send_task_reminders(today=today_date, days=days)
        self.stdout.write(f"{sent} task reminder(s) queued.")
        return None
