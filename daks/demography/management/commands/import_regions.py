"""``python manage.py import_regions GV100AD_31082025.txt [--dry-run]``."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from daks.demography.services import PROGRESS_EVERY, ImportValidationError, regions_import


class Command(BaseCommand):
    help = "Import Länder, Kreise, Gemeindeverbände and Gemeinden from a Destatis GV100AD file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="GV100AD_<DDMMYYYY>.txt (unpacked from the Destatis ZIP)")
        parser.add_argument("--dry-run", action="store_true", help="Validate and compare, but write nothing.")
        parser.add_argument(
            "--population-date",
            type=dt.date.fromisoformat,
            help="Reference date of the population figures (YYYY-MM-DD); default 31.12. of the year before "
            "the Gebietsstand.",
        )

    def handle(self, *args, file, dry_run, population_date, **options):
        def progress(done, total):
            self.stdout.write(f"{done}/{total} regions processed")

        try:
            summary = regions_import(
                path=file,
                dry_run=dry_run,
                progress=progress,
                progress_every=PROGRESS_EVERY,
                population_date=population_date,
            )
        except FileNotFoundError:
            raise CommandError(f"Datei nicht gefunden: {file}")
        except ImportValidationError as error:
            raise CommandError(error.message)
        prefix = "[dry run, nothing written] " if dry_run else ""
        self.stdout.write(f"{prefix}{summary.details()}")
        self.stdout.write(self.style.SUCCESS(f"{prefix}{summary.as_line()}"))
