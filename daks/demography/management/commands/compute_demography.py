"""``python manage.py compute_demography [--horizon-year 2044]``: indicators, projections and profiles."""

from django.core.management.base import BaseCommand

from daks.demography.pipeline import compute_all


class Command(BaseCommand):
    help = "Compute indicators, projections (all scenarios) and region profiles from the official statistics."

    def add_arguments(self, parser):
        parser.add_argument("--horizon-year", type=int, help="Last projected year (default: newest total + 20).")

    def handle(self, *args, horizon_year=None, **options):
        summary = compute_all(horizon_year=horizon_year, progress=self.stdout.write)
        for note in summary.notes:
            self.stdout.write(f"note: {note}")
        self.stdout.write(f"seconds: {summary.seconds}")
        self.stdout.write(self.style.SUCCESS(summary.as_line()))
        # Open data (daks.opendata): regenerate the bulk downloads from the new results in the background.
        if summary.regions:
            from daks.opendata.tasks import build_open_data_task

            build_open_data_task.enqueue()
            self.stdout.write("open data: rebuild queued (build_open_data_task)")
