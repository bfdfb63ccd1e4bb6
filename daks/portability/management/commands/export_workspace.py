"""Export the workspace of a Kommune into a ZIP file (the same archive as the download of its Koordination)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from daks.core.audit import log_action
from daks.municipalities.models import Municipality
from daks.portability import exporter


class Command(BaseCommand):
    help = "Export the whole workspace of a municipality (data.json, files, README.txt) into a ZIP file."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The short name of the municipality in its address, e.g. musterstadt.")
        parser.add_argument("archive", help="Where to write the ZIP file.")
        parser.add_argument("--force", action="store_true", help="Overwrite the file if it exists.")

    def handle(self, *args, slug, archive, force, **options):
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(f"There is no municipality with the short name {slug!r}.")
        path = Path(archive)
        if path.exists() and not force:
            raise CommandError(f"{path} exists already (use --force to overwrite it).")
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as target:
                summary = exporter.write_archive(municipality, target)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        log_action(
            "portability.export.command", municipality=municipality, obj=municipality, objects=summary.object_count
        )
        self.stdout.write(
            f"{municipality.name}: {summary.object_count} objects and {summary.file_count} files written to {path}."
        )
        for name in summary.missing_files:
            self.stderr.write(f"Missing on disk (not exported): {name}")
