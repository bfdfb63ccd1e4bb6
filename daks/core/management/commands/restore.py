"""``python manage.py restore <archive>``: restore a backup made by ``backup`` (all or nothing).

Stop the web server and the worker first. See docs/operations.md ("Backup and restore").
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from daks.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into the configured database and MEDIA_ROOT/PRIVATE_MEDIA_ROOT. Refuses a database "
        "that already has tables (and media folders with files) unless --force. Checks the manifest, the "
        "migrations and every checksum before anything is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a daks-backup-….tar.gz file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the content of a non-empty database and media folders",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only verify the archive (manifest, checksums, migrations)",
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        database = connections[options["database"]].settings_dict
        connections.close_all()  # SQLite: no open handle on the file that is replaced
        try:
            result = restore_backup(
                options["archive"],
                database=database,
                force=options["force"],
                check_only=options["check"],
                log=self._log,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["check"]:
            self.stdout.write(self.style.SUCCESS(f"{options['archive']}: OK ({result.files} files)"))
            return
        if result.dropped_tables:
            self.stdout.write(f"Dropped tables the backup does not have: {', '.join(result.dropped_tables)}")
        self.stdout.write(self.style.SUCCESS("Restore complete."))
        if result.pending_migrations:
            self.stdout.write(
                f"The backup lacks {len(result.pending_migrations)} migration(s) of this version: "
                "run `python manage.py migrate`."
            )
        self.stdout.write(
            "Next: `python manage.py createcachetable`, `python manage.py build_open_data`, then start the web server "
            "and the worker again."
        )

    def _log(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(message)
