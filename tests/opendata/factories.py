"""A small, hand-checkable set of regions, indicator values and projections for the open-data tests."""

import datetime as dt

from daks.demography.models import IndicatorValue, Level, Projection, ProjectionScenario
from daks.demography.pipeline import ensure_preset_scenarios
from tests.demography.factories import DatasetFactory, RegionFactory

#: A name with a comma, quotes and umlauts: the CSV must quote it and keep it intact.
ODD_NAME = 'Neustadt a.d.Waldnaab, "Markt" – Ölberg'
#: An indicator key that the register no longer has (a merged Gemeinde of 2015).
HISTORICAL_KEY = "09999077"
BASE_YEAR = 2015
HORIZON_YEAR = 2018


def pyramid(scale: float) -> dict[str, list[float]]:
    return {
        "male": [round(scale * (i + 1), 1) for i in range(19)],
        "female": [round(scale * (i + 1.5), 1) for i in range(19)],
    }


def build_small_data(municipality=None) -> dict:
    """Regions DG → 09 → 09999 → 09999001/09999002, one official table, indicators and preset projections.

    With ``municipality``, a Kommune scenario with its own projection is added (it must not be published).
    """
    reference = dt.date(2025, 8, 31)
    bund = RegionFactory(level=Level.BUND, key="DG", ars="", name="Deutschland", kind="", reference_date=reference)
    land = RegionFactory(level=Level.LAND, key="09", ars="09", name="Bayern", kind="Land", parent=bund)
    kreis = RegionFactory(level=Level.KREIS, key="09999", name="Landkreis Beispiel", kind="Landkreis", parent=land)
    first = RegionFactory(
        level=Level.GEMEINDE,
        key="09999001",
        ars="099990001001",
        name=ODD_NAME,
        kind="Markt",
        parent=kreis,
        population=4321,
        population_date=dt.date(2024, 12, 31),
        reference_date=reference,
        lat="49.123456",
        lon="12.345678",
    )
    second = RegionFactory(
        level=Level.GEMEINDE, key="09999002", name="Musterdorf", parent=kreis, active=False, area_km2=None
    )
    dataset = DatasetFactory(
        table_code="12411-02-03-5", title="Bevölkerung nach Altersgruppen, Gemeinden", data_as_of="Stand: 10.10.2017"
    )
    values = [
        ("09999001", "total", BASE_YEAR, 4321.0),
        ("09999001", "share_65_plus", BASE_YEAR, 21.123456789),
        ("09999001", "median_age", BASE_YEAR, 44.5),
        ("09999001", "projected_change_pct", HORIZON_YEAR, -3.25),
        ("09999002", "total", BASE_YEAR, 812.0),
        ("09999002", "natural_balance_per_1000", BASE_YEAR, None),
        ("09999", "total", BASE_YEAR, 5133.0),
        ("09999", "density_per_km2", 2024, 12.832500000000001),
        (HISTORICAL_KEY, "total", BASE_YEAR, 99.0),
    ]
    IndicatorValue.objects.bulk_create(
        IndicatorValue(region_key=key, indicator=code, year=year, value=value, basis="Tabelle 12411-02-03-5")
        for key, code, year, value in values
    )
    presets = {s.code: s for s in ensure_preset_scenarios()}
    years = HORIZON_YEAR - BASE_YEAR + 1
    projections = []
    for key, size in (("09999001", 4321.0), ("09999", 5133.0)):
        for code, factor in (("low", 0.99), ("medium", 1.0), ("high", 1.01)):
            projections.append(
                Projection(
                    region_key=key,
                    scenario=presets[code],
                    base_year=BASE_YEAR,
                    horizon_year=HORIZON_YEAR,
                    totals=[round(size * factor**i, 1) for i in range(years)],
                    pyramids={str(BASE_YEAR): pyramid(1.0), str(HORIZON_YEAR): pyramid(factor)},
                    basis="Basis 31.12.2015",
                )
            )
    own = None
    if municipality is not None:
        own = ProjectionScenario.objects.create(municipality=municipality, code="eigene", name="Eigene Annahmen")
        projections.append(
            Projection(
                region_key="09999001",
                scenario=own,
                base_year=BASE_YEAR,
                horizon_year=HORIZON_YEAR,
                totals=[1.0] * years,
                pyramids={str(BASE_YEAR): pyramid(9.0)},
            )
        )
    Projection.objects.bulk_create(projections)
    return {"regions": [bund, land, kreis, first, second], "dataset": dataset, "own_scenario": own}
