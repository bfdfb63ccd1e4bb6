"""``python manage.py import_statistics FILE [--dry-run]``: import a GENESIS/regionalstatistik table."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from daks.demography.importers.genesis import StatisticsFileError, detect_format
from daks.demography.statistics import PROGRESS_EVERY, StatisticsImportError, statistics_import


def print_summary(command: BaseCommand, summary) -> None:
    for warning in summary.warnings:
        command.stdout.write(f"Hinweis: {warning}")
    if summary.already_imported and summary.dataset is not None:
        command.stdout.write(
            f"bereits importiert als Datensatz {summary.dataset.pk} ({summary.dataset.title}) – nichts geschrieben"
        )
    command.stdout.write(command.style.SUCCESS(summary.as_line()))


class Command(BaseCommand):
    help = "Import a table from regionalstatistik.de / GENESIS-Online (classic CSV or ffcsv)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The downloaded table (classic GENESIS CSV or flat file ffcsv).")
        parser.add_argument("--dry-run", action="store_true", help="Validate only, write nothing.")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {file}")
        data = path.read_bytes()
        try:
            fmt = detect_format(data)
        except StatisticsFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{path.name}: Format {fmt}")

        def progress(done, total):
            if total >= PROGRESS_EVERY:  # only large files report progress
                self.stdout.write(f"{done}/{total} values written")

        try:
            summary = statistics_import(source=data, filename=path.name, dry_run=dry_run, progress=progress)
        except StatisticsImportError as error:
            raise CommandError(error.message) from error
        print_summary(self, summary)
