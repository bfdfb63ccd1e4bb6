"""``python manage.py backtest_projection``: project 2015 -> 2024 and compare with the official 2024 totals."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from daks.demography.backtest import merge_json, results_payload, run_backtest


class Command(BaseCommand):
    help = "Back-test the projection (base 31.12.2015, no re-basing) against the official 31.12.2024 totals."

    def add_arguments(self, parser):
        parser.add_argument("--base-year", type=int, default=2015)
        parser.add_argument("--target-year", type=int, default=2024)
        parser.add_argument(
            "--json",
            default=str(Path(settings.BASE_DIR) / "benchmarks" / "results" / "engine.json"),
            help="Merge the figures into this JSON file ('' = do not write).",
        )

    def handle(self, *args, base_year, target_year, json, **options):
        results = run_backtest(base_year=base_year, target_year=target_year)
        if not results:
            raise CommandError(
                f"Keine vergleichbaren Daten: Bevölkerung nach Alter {base_year} und amtliche Stände {target_year} "
                "werden benötigt (python manage.py load_demography)."
            )
        for level, r in results.items():
            self.stdout.write(
                f"{level}: n={r.n} MAPE={r.mape:.2f} % p90={r.p90:.2f} % signed mean={r.signed_mean_error:+.2f} % | "
                f"level shift removed per Land: MAPE={r.mape_land_adjusted:.2f} % p90={r.p90_land_adjusted:.2f} % | "
                f"national (ratio {r.national_ratio:.4f}): MAPE={r.mape_national_adjusted:.2f} % "
                f"p90={r.p90_national_adjusted:.2f} % | skipped: {r.skipped_without_truth} without 2024 total, "
                f"{r.skipped_without_projection} without {base_year} base"
            )
            self.stdout.write(f"  largest errors: {r.worst}")
        if json:
            merge_json(Path(json), results_payload(results, base_year=base_year, target_year=target_year))
            self.stdout.write(self.style.SUCCESS(f"wrote {json}"))
