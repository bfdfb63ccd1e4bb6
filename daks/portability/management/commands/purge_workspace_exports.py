"""Delete workspace exports whose download period is over (daily timer)."""

from django.core.management.base import BaseCommand

from daks.portability.services import exports_purge_expired


class Command(BaseCommand):
    help = "Delete expired workspace exports and their ZIP files."

    def handle(self, *args, **options):
        count = exports_purge_expired()
        self.stdout.write(f"{count} expired export(s) deleted.")
