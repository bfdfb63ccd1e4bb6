"""Generated example data ("Beispieldaten") for an installation without the official files.

Nothing here is official, and nothing pretends to be: the regions are **fictional** and live under their own
example Land ``99`` (a key that the official key system does not use), every name carries "(Beispieldaten)",
every dataset has ``is_example=True``, a title that starts with "Beispieldaten", the source
"Beispieldaten (von DAKS erzeugt)" and no table code. No official region (``DG`` Deutschland, a real Land) is
created or touched.

Region tree::

    99        Beispielland (Beispieldaten)                          Land
    99001     Landkreis Beispielkreis (Beispieldaten)               Landkreis
    99001001  Beispielstadt (Beispieldaten)                         Stadt         ← demo Kommune "Beispielstadt"
    99001002  Musterdorf (Beispieldaten)                            Gemeinde
    99001003  Neudorf am See (Beispieldaten)                        Gemeinde
    99001004  Altenberg (Beispieldaten)                             Stadt
    99001005  Waldhausen (Beispieldaten)                            Gemeinde
    99002     Beispielhafen, kreisfreie Stadt (Beispieldaten)       Kreisfreie Stadt
    99002000  Beispielhafen (Beispieldaten)                         Kreisfreie Stadt

The figures come from a seeded random generator (the same every time) with smooth, plausible shapes: a
German-like age pyramid (baby boomers around 50 in 2015, Gompertz mortality, more women at old age), shifted
per Gemeinde (young city, ageing village …); population 31.12.2008–2024 follows a constant growth rate; births,
deaths and migration 2010–2015 are consistent with it (population change = births − deaths + in − out).
Kreise and the Land are the sums of their Gemeinden.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from .loader import LoadSummary, age_group_label
from .models import (
    Dataset,
    DatasetFormat,
    IndicatorValue,
    Level,
    Observation,
    Projection,
    Region,
    RegionProfile,
)

EXAMPLE_SOURCE = "Beispieldaten (von DAKS erzeugt)"
EXAMPLE_LAND_KEY = "99"
#: The region of the demo Kommune "Beispielstadt" (seed_demo).
EXAMPLE_TOWN_KEY = "99001001"
EXAMPLE_VERSION = "v1"
SEED = 20260101
BASE_YEAR = 2015
TOTAL_YEARS = range(2008, 2025)
FLOW_YEARS = range(2010, 2016)
POPULATION_DATE = dt.date(2024, 12, 31)

#: 17 age groups of the Gemeinde table (as in 12411-02-03-5), inclusive bounds; None = open.
GROUPS_17 = [(0, 2), (3, 5), (6, 9), (10, 14), (15, 17), (18, 19), (20, 24), (25, 29), (30, 34), (35, 39),
             (40, 44), (45, 49), (50, 54), (55, 59), (60, 64), (65, 74), (75, None)]  # fmt: skip
#: Single years 0..74 and the four old-age groups of the Kreis table (as in 12411-04-02-4).
SINGLE_YEARS = [(a, a) for a in range(75)] + [(75, 79), (80, 84), (85, 89), (90, None)]
#: Age groups of the deaths table (as in 12613-02-02-4).
DEATH_GROUPS = [(0, 0), (1, 4)] + [(a, a + 4) for a in range(5, 85, 5)] + [(85, None)]
#: Age groups of the mother (as in 12612-02-01-4) and the share of births in them.
MOTHER_GROUPS = [((0, 19), 0.02), ((20, 24), 0.12), ((25, 29), 0.29), ((30, 34), 0.35), ((35, 39), 0.18),
                 ((40, None), 0.04)]  # fmt: skip
#: Age groups of the migration tables and the share of movers in them.
MIGRATION_GROUPS = [((0, 17), 0.16), ((18, 24), 0.25), ((25, 29), 0.17), ((30, 49), 0.27), ((50, 64), 0.09),
                    ((65, None), 0.06)]  # fmt: skip
MAX_AGE = 100


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    kind_code: str
    kind: str
    area_km2: str
    population_2015: int
    growth: float  # per year
    young: float  # > 0: more young adults (city), < 0: young people leave (village)
    birth_rate: float  # per 1,000
    death_rate: float  # per 1,000
    mobility: float  # out-migration per 1,000


LAND = ("99", "Beispielland (Beispieldaten)")
KREISE = {
    "99001": ("Landkreis Beispielkreis (Beispieldaten)", "44", "Landkreis", "Beispielstadt"),
    "99002": ("Beispielhafen, kreisfreie Stadt (Beispieldaten)", "41", "Kreisfreie Stadt", "Beispielhafen"),
}
PLACES = [
    Place("99001001", "Beispielstadt (Beispieldaten)", "63", "Stadt", "48.30", 24_350, 0.002, 0.2, 8.6, 11.2, 52),
    Place("99001002", "Musterdorf (Beispieldaten)", "64", "Gemeinde", "21.75", 3_180, -0.008, -0.6, 6.9, 13.8, 48),
    Place("99001003", "Neudorf am See (Beispieldaten)", "64", "Gemeinde", "17.20", 6_820, 0.009, -0.1, 9.9, 8.7, 61),
    Place("99001004", "Altenberg (Beispieldaten)", "63", "Stadt", "35.60", 9_540, -0.005, -0.3, 7.4, 13.1, 45),
    Place("99001005", "Waldhausen (Beispieldaten)", "64", "Gemeinde", "29.10", 1_420, -0.011, -0.8, 6.5, 14.6, 44),
    Place(
        "99002000", "Beispielhafen (Beispieldaten)", "61", "Kreisfreie Stadt", "96.40", 118_600, 0.006, 0.9,
        9.4, 10.3, 68,
    ),
]  # fmt: skip


# --- Generation --------------------------------------------------------------------------------------------------


def _survival(age: int, *, male: bool) -> float:
    """Gompertz survival to ``age`` (period life table of roughly 78 / 83 years)."""
    a, b = (4.2e-5 if male else 2.1e-5), 0.094
    return math.exp(-a / b * (math.exp(b * age) - 1.0))


def _cohort(age: int) -> float:
    """Relative size of the birth cohort aged ``age`` in 2015 (baby boom ~1964, few births ~1945)."""
    size = 1.0 + 0.55 * math.exp(-(((age - 51) / 8) ** 2)) - 0.25 * math.exp(-(((age - 70) / 3) ** 2))
    size += 0.12 * math.exp(-(((age - 25) / 5) ** 2))
    return size * (0.72 + 0.28 / (1.0 + math.exp(-(age - 44) / 2.5)))


def _round_to_total(weights: list[float], total: int) -> list[int]:
    """Integers proportional to ``weights`` that add up to ``total`` exactly (largest remainder)."""
    scale = sum(weights)
    if total <= 0 or scale <= 0:
        return [0] * len(weights)
    exact = [w * total / scale for w in weights]
    result = [math.floor(x) for x in exact]
    rest = total - sum(result)
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - result[i], reverse=True)[:rest]:
        result[i] += 1
    return result


def _pyramid(place: Place, rng: random.Random) -> dict[str, list[int]]:
    """Single years 0..100 (100 = 100 and older) per sex for 31.12.2015."""
    noise = [math.exp(rng.gauss(0.0, 0.05)) for _ in range(MAX_AGE + 1)]
    smooth = [sum(noise[max(0, a - 1) : a + 2]) / len(noise[max(0, a - 1) : a + 2]) for a in range(MAX_AGE + 1)]
    weights: dict[str, list[float]] = {"male": [], "female": []}
    for age in range(MAX_AGE + 1):
        regional = 1.0 + place.young * 0.35 * math.exp(-(((age - 27) / 7) ** 2))
        if place.young < 0:  # ageing place: relatively more people of 55+
            regional *= 1.0 - place.young * 0.25 / (1.0 + math.exp(-(age - 58) / 4))
        base = _cohort(age) * regional * smooth[age]
        weights["male"].append(base * _survival(age, male=True) * 1.05)
        weights["female"].append(base * _survival(age, male=False))
    cells = _round_to_total(weights["male"] + weights["female"], place.population_2015)
    return {"male": cells[: MAX_AGE + 1], "female": cells[MAX_AGE + 1 :]}


def _in_group(counts: list[int], age_from: int | None, age_to: int | None) -> int:
    if age_from is None:
        return sum(counts)
    return sum(counts[age_from : (age_to if age_to is not None else MAX_AGE) + 1])


@dataclass
class _Series:
    """value per (dataset slug, region key, variable, year, sex, age_from, age_to)."""

    values: dict

    def add(self, slug, key, variable, year, sex, age, value):
        self.values[(slug, key, variable, year, sex, age)] = self.values.get(
            (slug, key, variable, year, sex, age), 0
        ) + int(value)


def _generate() -> dict:
    rng = random.Random(SEED)
    series = _Series({})
    for place in PLACES:
        pyramid = _pyramid(place, rng)
        male_share = sum(pyramid["male"]) / place.population_2015
        # Gemeinde, Kreis and Land get the figures (a kreisfreie Stadt is its own Kreis: both are the same)
        parents = [place.key, place.key[:5], LAND[0]]

        def add(slug, variable, year, sex, age, value, *, levels=parents):
            for key in levels:
                series.add(slug, key, variable, year, sex, age, value)

        # 1. age groups (all levels) and 2. single years (Kreise and Land), 31.12.2015
        for sex in ("male", "female"):
            for age in [*GROUPS_17, (None, None)]:
                add("groups", "population", BASE_YEAR, sex, age, _in_group(pyramid[sex], *age))
            for age in [*SINGLE_YEARS, (None, None)]:
                add("single", "population", BASE_YEAR, sex, age, _in_group(pyramid[sex], *age), levels=parents[1:])

        # 3. totals 31.12.2008–2024
        totals = {year: round(place.population_2015 * (1 + place.growth) ** (year - BASE_YEAR)) for year in TOTAL_YEARS}
        for year, total in totals.items():
            male = round(total * male_share)
            add("totals", "population", year, "male", (None, None), male)
            add("totals", "population", year, "female", (None, None), total - male)

        # 4. births and deaths, 6. migration 2010–2015: change = births − deaths + in − out
        for year in FLOW_YEARS:
            base = totals[year - 1]
            births = round(base * place.birth_rate / 1000 * math.exp(rng.gauss(0, 0.04)))
            deaths = round(base * place.death_rate / 1000 * math.exp(rng.gauss(0, 0.04)))
            moved_out = round(base * place.mobility / 1000 * math.exp(rng.gauss(0, 0.03)))
            moved_in = totals[year] - base - births + deaths + moved_out
            for variable, value, male_share_flow in (
                ("births", births, 0.513),
                ("deaths", deaths, 0.49),
                ("in_migration", moved_in, 0.53),
                ("out_migration", moved_out, 0.53),
            ):
                male = round(value * male_share_flow)
                slug = "vital" if variable in ("births", "deaths") else "migration"
                add(slug, variable, year, "male", (None, None), male)
                add(slug, variable, year, "female", (None, None), value - male)
                if slug == "migration":
                    for sex, count in (("male", male), ("female", value - male)):
                        split = _round_to_total([share for _g, share in MIGRATION_GROUPS], count)
                        for (age, _share), part in zip(MIGRATION_GROUPS, split, strict=True):
                            add(slug, variable, year, sex, age, part)
                if year == BASE_YEAR and variable == "deaths":  # 5. deaths by age group (Kreise, Land)
                    for sex, count in (("male", male), ("female", value - male)):
                        mortality = [
                            n * 0.000042 * math.exp(0.094 * a) * (1.4 if sex == "male" else 0.8)
                            for a, n in enumerate(pyramid[sex])
                        ]
                        split = _round_to_total([_in_group_f(mortality, *age) for age in DEATH_GROUPS], count)
                        for age, part in zip(DEATH_GROUPS, split, strict=True):
                            add("ages_2015", "deaths", year, sex, age, part, levels=parents[1:])
                        add("ages_2015", "deaths", year, sex, (None, None), count, levels=parents[1:])
                if year == BASE_YEAR and variable == "births":  # 5. births by mother's age (Kreise, Land)
                    for sex, count in (("male", male), ("female", value - male)):
                        split = _round_to_total([share for _g, share in MOTHER_GROUPS], count)
                        for (age, _share), part in zip(MOTHER_GROUPS, split, strict=True):
                            add("ages_2015", "births_by_mother_age", year, sex, age, part, levels=parents[1:])
                        add("ages_2015", "births_by_mother_age", year, sex, (None, None), count, levels=parents[1:])
    # the "total" sex of every series is the sum of male and female
    for (slug, key, variable, year, _sex, age), value in list(series.values.items()):
        series.add(slug, key, variable, year, "total", age, value)
    return series.values


def _in_group_f(values: list[float], age_from: int | None, age_to: int | None) -> float:
    return sum(values[age_from : (age_to if age_to is not None else MAX_AGE) + 1])


DATASETS = {
    "groups": ("Beispieldaten: Bevölkerung nach Geschlecht und Altersgruppen, 31.12.2015", "Stichtag 31.12.2015"),
    "single": (
        "Beispieldaten: Bevölkerung nach Geschlecht und Altersjahren, Kreise, 31.12.2015",
        "Stichtag 31.12.2015",
    ),
    "totals": ("Beispieldaten: Bevölkerung nach Geschlecht, 31.12.2008–31.12.2024", "Stichtage 2008 bis 2024"),
    "vital": ("Beispieldaten: Lebendgeborene und Gestorbene nach Geschlecht, 2010–2015", "Berichtsjahre 2010 bis 2015"),
    "ages_2015": (
        "Beispieldaten: Gestorbene nach Altersgruppen und Lebendgeborene nach Alter der Mutter, Kreise, 2015",
        "Berichtsjahr 2015",
    ),
    "migration": (
        "Beispieldaten: Zu- und Fortzüge nach Geschlecht und Altersgruppen, 2010–2015",
        "Berichtsjahre 2010 bis 2015",
    ),
}
STOCK_DATASETS = {"groups", "single", "totals"}


# --- Writing -----------------------------------------------------------------------------------------------------


def has_real_data() -> bool:
    """Whether official regions or statistics are loaded (then no example data is needed)."""
    return (
        Dataset.objects.filter(municipality__isnull=True, is_example=False).exists()
        or Region.objects.exclude(source=EXAMPLE_SOURCE).exists()
    )


def _regions(values: dict) -> int:
    """Create or update the example regions; returns how many were written."""
    population: dict[str, dict[str, int]] = defaultdict(dict)
    for (slug, key, _variable, year, sex, age), value in values.items():
        if slug == "totals" and year == POPULATION_DATE.year and age == (None, None):
            population[key][sex] = value
    area: dict[str, Decimal] = defaultdict(Decimal)
    for place in PLACES:
        for key in (place.key, place.key[:5], LAND[0]):
            area[key] += Decimal(place.area_km2)
    rows = [(Level.LAND, LAND[0], LAND[1], "", "Land", "Beispielstadt", None)]
    rows += [(Level.KREIS, key, name, code, kind, seat, LAND[0]) for key, (name, code, kind, seat) in KREISE.items()]
    rows += [(Level.GEMEINDE, p.key, p.name, p.kind_code, p.kind, "", p.key[:5]) for p in PLACES]
    written = 0
    ids: dict[str, int] = {}
    for level, key, name, code, kind, seat, parent_key in rows:
        fields = {
            "ars": (key[:5] + "0000" + key[5:]) if level == Level.GEMEINDE else key,
            "name": name,
            "search_name": name.lower(),
            "kind_code": code,
            "kind": kind,
            "seat": seat,
            "parent_id": ids.get(parent_key) if parent_key else None,
            "area_km2": area[key],
            "population": population[key]["total"],
            "population_male": population[key]["male"],
            "population_female": population[key]["female"],
            "reference_date": None,
            "population_date": POPULATION_DATE,
            "active": True,
            "source": EXAMPLE_SOURCE,
        }
        region = Region.objects.filter(level=level, key=key).first()
        if region is None:
            region = Region.objects.create(level=level, key=key, **fields)
            written += 1
        elif region.source != EXAMPLE_SOURCE:
            raise ValueError(f"region {level} {key} exists and is not example data")  # never overwrite real data
        elif any(getattr(region, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(region, name, value)
            region.save()
            written += 1
        ids[key] = region.pk
    return written


@transaction.atomic
def create_example_data() -> list[LoadSummary]:
    """Create the example regions and datasets (idempotent: existing example datasets are kept)."""
    values = _generate()
    regions_written = _regions(values)
    summaries = [
        LoadSummary(
            file_name="Beispielregionen", title="Beispielregionen", regions=regions_written, skipped=not regions_written
        )
    ]
    by_slug: dict[str, list] = defaultdict(list)
    for (slug, key, variable, year, sex, age), value in values.items():
        by_slug[slug].append((key, variable, year, sex, age, value))
    for slug, (title, data_as_of) in DATASETS.items():
        sha256 = hashlib.sha256(f"daks-example-data:{EXAMPLE_VERSION}:{slug}".encode()).hexdigest()
        summary = LoadSummary(file_name=f"Beispieldaten/{slug}", title=title)
        summaries.append(summary)
        if Dataset.objects.filter(sha256=sha256, municipality__isnull=True).exists():
            summary.skipped = True
            summary.note = "already loaded"
            continue
        rows = sorted(by_slug[slug], key=lambda r: (r[0], r[1], r[2], r[3], -1 if r[4][0] is None else r[4][0]))
        dataset = Dataset.objects.create(
            title=title,
            table_code="",
            source=EXAMPLE_SOURCE,
            licence="",
            format=DatasetFormat.EXAMPLE,
            file_name="",
            sha256=sha256,
            data_as_of=f"Beispieldaten, {data_as_of}",
            is_example=True,
            value_count=len(rows),
            region_count=len({r[0] for r in rows}),
        )
        Observation.objects.bulk_create(
            [
                Observation(
                    dataset=dataset,
                    region_key=key,
                    variable=variable,
                    year=year,
                    date=dt.date(year, 12, 31) if slug in STOCK_DATASETS else None,
                    sex=sex,
                    age_group=age_group_label(*age),
                    age_from=age[0],
                    age_to=age[1],
                    value=float(value),
                )
                for key, variable, year, sex, age, value in rows
            ],
            batch_size=5000,
        )
        summary.dataset_id = dataset.pk
        summary.values = dataset.value_count
        summary.regions = dataset.region_count
    return summaries


def example_region_keys() -> list[str]:
    return [LAND[0], *KREISE, *(p.key for p in PLACES)]


@transaction.atomic
def remove_example_data() -> int:
    """Delete the example datasets, regions and everything computed for them; returns the datasets deleted."""
    keys = example_region_keys()
    datasets = Dataset.objects.filter(is_example=True, municipality__isnull=True)
    deleted = datasets.count()
    datasets.delete()
    IndicatorValue.objects.filter(region_key__in=keys).delete()
    Projection.objects.filter(region_key__in=keys).delete()
    RegionProfile.objects.filter(region_key__in=keys).delete()
    for level in (Level.GEMEINDE, Level.KREIS, Level.LAND):
        Region.objects.filter(level=level, key__in=keys, source=EXAMPLE_SOURCE).delete()
    return deleted
