"""Delete workspace exports whose download period is over (daily timer)."""

from django.core.management.base import BaseCommand

from daks.portability.services import exports_fail_stale, exports_purge_expired


class Command(BaseCommand):
    help = "Delete expired workspace exports and their ZIP files; mark interrupted ones as failed."

    def handle(self, *args, **options):
        interrupted = exports_fail_stale()
        count = exports_purge_expired()
        if interrupted:
            self.stdout.write(f"{interrupted} interrupted export(s) marked as failed.")
        self.stdout.write(f"{count} expired export(s) deleted.")
