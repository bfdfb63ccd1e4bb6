"""``python manage.py fetch_statistics TABLE [TABLE …] [--startyear …] [--dry-run]``.

Fetches tables from the GENESIS-Online web service (settings ``DAKS_GENESIS_URL``, ``DAKS_GENESIS_USERNAME``,
``DAKS_GENESIS_PASSWORD``) as ffcsv and imports them like a downloaded file.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from daks.demography.genesis_client import GenesisError, fetch_table
from daks.demography.models import DatasetFormat
from daks.demography.statistics import PROGRESS_EVERY, StatisticsImportError, statistics_import

from .import_statistics import print_summary

SOURCE = "GENESIS-Online (Web-Service)"


class Command(BaseCommand):
    help = "Fetch tables from the GENESIS-Online web service and import them."

    #: The opener used for the requests (tests replace it with recorded responses).
    opener = None

    def add_arguments(self, parser):
        parser.add_argument("tables", nargs="+", metavar="TABLE", help="Table codes, e.g. 12411-0015.")
        parser.add_argument("--startyear", type=int, help="First year to fetch.")
        parser.add_argument("--endyear", type=int, help="Last year to fetch.")
        parser.add_argument("--area", default="all", help="GENESIS area (default: all).")
        parser.add_argument("--regionalvariable", help="Regional variable, e.g. KREISE.")
        parser.add_argument("--regionalkey", help="Regional key(s), e.g. 01001 or 01*.")
        parser.add_argument("--dry-run", action="store_true", help="Fetch and validate, write nothing.")

    def handle(self, *args, tables, startyear, endyear, area, regionalvariable, regionalkey, dry_run, **options):
        failed = []

        def progress(done, total):
            if total >= PROGRESS_EVERY:
                self.stdout.write(f"{done}/{total} values written")

        for code in tables:
            self.stdout.write(f"{code}: wird abgerufen …")
            try:
                data = fetch_table(
                    code,
                    area=area,
                    startyear=startyear,
                    endyear=endyear,
                    regionalvariable=regionalvariable,
                    regionalkey=regionalkey,
                    session=self.opener,
                )
                summary = statistics_import(
                    source=data,
                    filename=f"{code}_ffcsv.csv",
                    dry_run=dry_run,
                    progress=progress,
                    downloaded_on=timezone.localdate(),
                    source_label=SOURCE,
                    data_format=DatasetFormat.GENESIS_API,
                )
            except (GenesisError, StatisticsImportError) as error:
                self.stderr.write(f"{code}: {error.message}")
                failed.append(code)
                continue
            print_summary(self, summary)
        if failed:
            raise CommandError(f"Nicht importiert: {', '.join(failed)}")
