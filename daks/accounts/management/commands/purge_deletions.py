"""Daily job: delete the accounts and Kommunen whose grace period is over (docs/deletion.md)."""

from django.core.management.base import BaseCommand

from daks.accounts.purge import due, purge_deletions


class Command(BaseCommand):
    help = (
        "Delete the accounts and municipalities whose deletion grace period is over, with their uploaded files. "
        "Idempotent; run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what is due; delete nothing.")

    def handle(self, *args, dry_run, **options):
        lines = due() if dry_run else purge_deletions().lines()
        for line in lines:
            self.stdout.write(line)
