import hashlib

import factory

from daks.demography.models import (
    OFFICIAL_LICENCE,
    OFFICIAL_SOURCE,
    Dataset,
    DatasetFormat,
    IndicatorValue,
    Level,
    Observation,
    Region,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("level", "key")

    level = Level.GEMEINDE
    key = factory.Sequence(lambda n: f"099{n:05d}")
    ars = factory.LazyAttribute(lambda o: o.key)
    name = factory.Sequence(lambda n: f"Beispielgemeinde {n}")
    search_name = factory.LazyAttribute(lambda o: o.name.lower())
    kind = "Gemeinde"
    population = 5000
    area_km2 = 25


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset

    title = factory.Sequence(lambda n: f"Bevölkerung nach Altersgruppen {n}")
    table_code = "12411-02-03-5"
    source = OFFICIAL_SOURCE
    licence = OFFICIAL_LICENCE
    format = DatasetFormat.GENESIS_CLASSIC
    sha256 = factory.Sequence(lambda n: hashlib.sha256(str(n).encode()).hexdigest())


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    dataset = factory.SubFactory(DatasetFactory)
    region_key = "09999999"
    variable = "population"
    year = 2015
    sex = "total"
    age_group = "total"
    value = 1000.0


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    region_key = "09999999"
    indicator = "population"
    year = 2015
    value = 1000.0
