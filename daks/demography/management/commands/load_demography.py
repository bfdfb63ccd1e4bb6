"""``python manage.py load_demography [--data-dir DIR] [--example] [--skip-compute]``.

Loads the data of an installation, in this order (see docs/data-sources.md, "Loading data for a new installation"):

1. the official files of the shared data folder (``settings.DAKS_DATA_DIR``, default ``<repo>/../shared/data``):
   GV100AD regions, coordinates, the prepared demography CSVs;
2. online, only with ``DAKS_ONLINE=1``: the current GV100AD from ``DAKS_GV100AD_URL`` and, when
   ``DAKS_GENESIS_USERNAME`` is set, the GENESIS tables of ``DAKS_GENESIS_TABLES`` via ``fetch_statistics``;
3. otherwise (no official data at all) generated example data, labelled "Beispieldaten".

Then ``compute_demography`` runs (unless ``--skip-compute``, or nothing new was loaded and results exist).
Idempotent: files already loaded are recognised by their SHA-256 and skipped before they are parsed.
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from daks.core.errors import DomainError
from daks.demography import loader
from daks.demography.example_data import EXAMPLE_TOWN_KEY, create_example_data, has_real_data
from daks.demography.models import Dataset, IndicatorValue, Observation, Region

DEFAULT_GENESIS_TABLES = "12411-01-01-4,12612-01-01-4,12613-01-01-4"


class Command(BaseCommand):
    help = (
        "Load regions and demography data: the official files of the shared data folder, online sources when "
        "DAKS_ONLINE=1, otherwise generated example data (Beispieldaten); then compute the indicators."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", help="Folder with raw/, demografie/ and gemeinden.csv (default: settings.DAKS_DATA_DIR)."
        )
        parser.add_argument(
            "--example", action="store_true", help="Load only the generated example data (Beispieldaten)."
        )
        parser.add_argument("--skip-compute", action="store_true", help="Do not run compute_demography afterwards.")

    def handle(self, *args, data_dir=None, example=False, skip_compute=False, **options):
        started = time.monotonic()
        summaries: list[loader.LoadSummary] = []
        try:
            if example:
                summaries += self._example()
            else:
                summaries += self._shared(Path(data_dir) if data_dir else Path(settings.DAKS_DATA_DIR))
                summaries += self._online()
                if not has_real_data():
                    self.stdout.write(
                        self.style.WARNING("No official data found: loading example data (Beispieldaten).")
                    )
                    summaries += self._example()
        except DomainError as error:
            raise CommandError(error.message)

        loaded = [s for s in summaries if not s.skipped and s.values]
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {sum(s.values for s in loaded):,} new values in {len(loaded)} datasets "
                f"({sum(1 for s in summaries if s.skipped)} skipped as already loaded); the database holds "
                f"{Observation.objects.count():,} values in {Dataset.objects.count()} datasets and "
                f"{Region.objects.count():,} regions; {time.monotonic() - started:.1f} s."
            )
        )
        if not skip_compute:
            self._compute(changed=any(not s.skipped for s in summaries))

    # --- steps ---

    def _progress(self, line: str) -> None:
        self.stdout.write(line)

    def _shared(self, data_dir: Path) -> list[loader.LoadSummary]:
        if not loader.has_shared_data(data_dir):
            self.stdout.write(f"No shared data folder with official files at {data_dir}.")
            return []
        self.stdout.write(f"Loading the official files of {data_dir} …")
        return loader.load_shared_data(data_dir, progress=self._progress)

    def _online(self) -> list[loader.LoadSummary]:
        if not loader.online_enabled():
            return []
        summaries = []
        if loader.gv100ad_url():
            self.stdout.write("DAKS_ONLINE=1: downloading the current GV100AD …")
            try:
                path = loader.fetch_gv100ad()
                summary = loader.import_gv100ad(path, progress=self._progress)
            except DomainError as error:
                self.stderr.write(f"GV100AD download/import skipped: {error.message}")
            else:
                self.stdout.write(summary.as_line())
                summaries.append(summary)
        else:
            self.stdout.write("DAKS_ONLINE=1, but DAKS_GV100AD_URL is not set: no GV100AD download.")
        if os.environ.get("DAKS_GENESIS_USERNAME"):
            tables = [t.strip() for t in os.environ.get("DAKS_GENESIS_TABLES", DEFAULT_GENESIS_TABLES).split(",")]
            for table in filter(None, tables):
                self.stdout.write(f"fetch_statistics {table} …")
                try:
                    call_command("fetch_statistics", table, stdout=self.stdout, stderr=self.stderr)
                except (ImportError, CommandError, DomainError, OSError) as error:
                    self.stderr.write(f"fetch_statistics {table} skipped: {error}")
        return summaries

    def _example(self) -> list[loader.LoadSummary]:
        summaries = create_example_data()
        for summary in summaries:
            self.stdout.write(summary.as_line())
        self.stdout.write(
            f"Example data (Beispieldaten, invented figures) for the fictional Land 99; "
            f"Beispielstadt has the key {EXAMPLE_TOWN_KEY}."
        )
        return summaries

    def _compute(self, *, changed: bool) -> None:
        if "compute_demography" not in get_commands():
            self.stdout.write("compute_demography not available yet")
            return
        if not changed and IndicatorValue.objects.exists():
            self.stdout.write("compute_demography skipped: nothing new was loaded (run it directly to recompute).")
            return
        call_command("compute_demography", stdout=self.stdout, stderr=self.stderr)
