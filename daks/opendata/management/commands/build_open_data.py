"""``python manage.py build_open_data [--directory DIR]``: write the open-data files (see docs/opendata.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from daks.opendata.build import build_open_data, open_data_dir


class Command(BaseCommand):
    help = (
        "Write the open-data downloads (regions, indicators and projections of all regions as CSV and JSON, plus "
        "LIZENZ.txt and manifest.json) atomically into the open-data directory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="Target directory (default: OPEN_DATA_DIR or VAR_DIR/opendata).")

    def handle(self, *args, directory=None, **options):
        target = Path(directory) if directory else open_data_dir()
        self.stdout.write(f"Building the open data in {target} …")
        summary = build_open_data(directory=target, progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(summary.as_line()))
