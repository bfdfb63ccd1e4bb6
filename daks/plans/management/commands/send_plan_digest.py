"""Weekly job: e-mail responsible persons their due milestones and overdue measures (once per ISO week)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from daks.plans.digest import iso_week, send_plan_digests


class Command(BaseCommand):
    help = "Queue the weekly digest of due milestones and overdue measures (each person once per ISO week)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The date to assume as today (YYYY-MM-DD), default: the current date.")

    def handle(self, *args, today, **options):
        try:
            today_date = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today must be a date in the form YYYY-MM-DD.") from None
        sent = send_plan_digests(today=today_date)
        self.stdout.write(f"{sent} plan digest(s) queued for week {iso_week(today_date)}.")
