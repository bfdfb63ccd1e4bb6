"""``python manage.py backup <folder-or-file>``: the database and all uploaded files in one archive.

See docs/operations.md ("Backup and restore") and daks/core/backup.py for the archive's content.
"""

from django.core.management.base import BaseCommand, CommandError

from daks.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump; SQLite: online backup) and MEDIA_ROOT and PRIVATE_MEDIA_ROOT "
        "into one .tar.gz archive with a manifest (version, migrations, checksums). A folder as target gets a new "
        "file daks-backup-YYYYMMDD-HHMMSS.tar.gz. Open-data files are not included (build_open_data rebuilds them)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "target", help="folder for a new archive (created if missing), or the archive's name ending in .tar.gz"
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        try:
            result = create_backup(options["target"], using=options["database"], log=self._log)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if self.verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(str(result.path)))

    def _log(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(message)
