from daks.demography import selectors
from daks.demography.models import Level

from .factories import DatasetFactory, ObservationFactory, RegionFactory


def test_kreis_page_series_falls_back_to_the_kreisfreie_stadt(db):
    RegionFactory(level=Level.KREIS, key="09162", name="München, Landeshauptstadt")
    series = DatasetFactory(table_code="12411-01-01-5")
    kreise = DatasetFactory(table_code="12411-01-01-4")
    for year, value in [(2010, 1_353_186), (2015, 1_450_381)]:
        ObservationFactory(dataset=series, region_key="09162000", year=year, value=value)
    ObservationFactory(dataset=kreise, region_key="09162", year=2015, value=1_450_000)
    ObservationFactory(dataset=series, region_key="09184000", year=2010, value=1)  # another Kreis: not used

    assert [(year, value) for year, value, _ds, _day in selectors.population_totals("09162")] == [
        (2010, 1_353_186),
        (2015, 1_450_000),  # the Kreis's own figure wins where it has one
    ]
    assert [year for year, *_ in selectors.population_totals("09162000")] == [2010, 2015]
