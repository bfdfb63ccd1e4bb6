"""Daily job: remind invited people who have not answered an open survey yet (every few days at most)."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from daks.reviews.surveys import REMINDER_INTERVAL_DAYS, send_due_reminders


class Command(BaseCommand):
    help = "Queue reminder mails to people who have not answered an open survey (new link, at most every N days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=REMINDER_INTERVAL_DAYS,
            help="Remind only when the last mail is at least this many days old (default %(default)s).",
        )
        parser.add_argument("--today", help="The date to assume as today (YYYY-MM-DD), default: now.")

    def handle(self, *args, days, today, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        if today:
            try:
                now = timezone.make_aware(datetime.combine(datetime.fromisoformat(today).date(), time(12)))
            except ValueError:
                raise CommandError("--today must be a date in the form YYYY-MM-DD.") from None
        else:
            now = timezone.now()
        sent = send_due_reminders(now=now, days=days)
        self.stdout.write(f"{sent} survey reminder(s) queued.")
