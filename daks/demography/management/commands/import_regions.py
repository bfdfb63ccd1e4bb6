"""``python manage.py import_regions GV100AD_31082025.txt|AuszugGV2QAktuell.xlsx [--dry-run]``."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from daks.demography.importers import gvisys
from daks.demography.services import PROGRESS_EVERY, ImportValidationError, regions_import

FORMAT_LABELS = {
    gvisys.FORMAT_GV100AD: "GV100AD (fixed-width text)",
    gvisys.FORMAT_GVISYS: "GV-ISys extract (Excel workbook)",
}


class Command(BaseCommand):
    help = (
        "Import Länder, Kreise, Gemeindeverbände and Gemeinden from a Destatis GV100AD file or a GV-ISys "
        "workbook (AuszugGV<n>QAktuell.xlsx, also sets the Gemeinde coordinates)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="GV100AD_<DDMMYYYY>.txt (unpacked from the Destatis ZIP) or AuszugGV<n>QAktuell.xlsx",
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate and compare, but write nothing.")
        parser.add_argument(
            "--population-date",
            type=dt.date.fromisoformat,
            help="Reference date of the population figures (YYYY-MM-DD); default 31.12. of the year before "
            "the Gebietsstand.",
        )
        parser.add_argument(
            "--format",
            choices=["auto", *FORMAT_LABELS],
            default="auto",
            help="File format; default: detected from the content (an .xlsx workbook is a ZIP file).",
        )

    def handle(self, *args, file, dry_run, population_date, format, **options):
        def progress(done, total):
            self.stdout.write(f"{done}/{total} regions processed")

        try:
            if format == "auto":
                format = gvisys.detect_format(file)
            self.stdout.write(f"Format: {FORMAT_LABELS[format]}")
            summary = regions_import(
                path=file,
                dry_run=dry_run,
                progress=progress,
                progress_every=PROGRESS_EVERY,
                population_date=population_date,
                format=format,
            )
        except FileNotFoundError:
            raise CommandError(f"Datei nicht gefunden: {file}")
        except ImportValidationError as error:
            raise CommandError(error.message)
        prefix = "[dry run, nothing written] " if dry_run else ""
        self.stdout.write(f"{prefix}{summary.details()}")
        self.stdout.write(self.style.SUCCESS(f"{prefix}{summary.as_line()}"))
