from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    # The labels are the official German terms of the administrative levels.
    BUND = "bund", "Bund"
    LAND = "land", "Land"
    REGIERUNGSBEZIRK = "regierungsbezirk", "Regierungsbezirk"
    KREIS = "kreis", "Kreis"
    GEMEINDEVERBAND = "gemeindeverband", "Gemeindeverband"
    GEMEINDE = "gemeinde", "Gemeinde"


#: Ordering of the levels from top to bottom.
LEVEL_ORDER = {level: index for index, level in enumerate(Level.values)}

BUND_KEY = "DG"


class Region(models.Model):
    """An administrative region keyed by its official key.

    ``key`` by level: Bund ``DG``, Land 2 digits, Regierungsbezirk 3, Kreis 5, Gemeindeverband 9
    (Land + RB + Kreis + Verband), Gemeinde 8 (= AGS). ``ars`` is the Amtlicher Regionalschlüssel: 12 digits
    for Gemeinden, the ARS prefix of the level otherwise (empty for the Bund).
    """

    key = models.CharField(_("official key"), max_length=12)
    ars = models.CharField(_("regional key (ARS)"), max_length=12, blank=True, db_index=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(_("name for search"), max_length=200, blank=True, editable=False)
    kind_code = models.CharField(_("type code"), max_length=2, blank=True, help_text=_("Textkennzeichen"))
    kind = models.CharField(_("type"), max_length=100, blank=True)
    seat = models.CharField(_("seat of administration"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=12, decimal_places=2, null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_male = models.PositiveIntegerField(_("population (male)"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("population (female)"), null=True, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    reference_date = models.DateField(_("territorial status"), null=True, blank=True, help_text=_("Gebietsstand"))
    population_date = models.DateField(_("population as of"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["key", "level"]
        constraints = [models.UniqueConstraint(fields=["level", "key"], name="demography_region_unique_level_key")]
        indexes = [models.Index(fields=["key"], name="demography_region_key_idx")]

    def __str__(self):
        return f"{self.name} ({self.key})"

    @property
    def land_key(self) -> str:
        return "" if self.level == Level.BUND else self.key[:2]


class RegionKeyChange(models.Model):
    """History of keys: written by an import when a region disappears, is renamed or moves elsewhere."""

    class Kind(models.TextChoices):
        DISSOLVED = "dissolved", _("dissolved")
        RENAMED = "renamed", _("renamed")
        REPARENTED = "reparented", _("moved to another parent")
        REACTIVATED = "reactivated", _("reactivated")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    old_key = models.CharField(_("old key"), max_length=12, db_index=True)
    new_key = models.CharField(_("new key"), max_length=12, null=True, blank=True)
    old_name = models.CharField(_("old name"), max_length=200, blank=True)
    new_name = models.CharField(_("new name"), max_length=200, blank=True)
    old_parent_key = models.CharField(_("old parent key"), max_length=12, blank=True)
    new_parent_key = models.CharField(_("new parent key"), max_length=12, blank=True)
    change_date = models.DateField(_("effective"), help_text=_("Territorial status of the import that found it"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("region key change")
        verbose_name_plural = _("region key changes")
        ordering = ["-change_date", "old_key"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.old_key}"


# --- Statistics ---------------------------------------------------------------------------------


class Variable(models.TextChoices):
    POPULATION = "population", _("Population")
    BIRTHS = "births", _("Live births")
    DEATHS = "deaths", _("Deaths")
    IN_MIGRATION = "in_migration", _("In-migration")
    OUT_MIGRATION = "out_migration", _("Out-migration")


#: User-defined series use the variable ``custom:<code>``.
CUSTOM_PREFIX = "custom:"


class Sex(models.TextChoices):
    TOTAL = "total", _("total")
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class DatasetFormat(models.TextChoices):
    GENESIS_CLASSIC = "classic", _("GENESIS table (CSV)")
    GENESIS_FFCSV = "ffcsv", _("GENESIS flat file (ffcsv)")
    GENESIS_API = "api", _("GENESIS web service")
    DERIVED_CSV = "derived", _("Prepared official table (CSV)")
    OWN_CSV = "own", _("Own data of the municipality (CSV)")
    EXAMPLE = "example", _("Example data")


OFFICIAL_LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
OFFICIAL_LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
OFFICIAL_SOURCE = (
    "Statistisches Bundesamt (Destatis), Statistische Ämter des Bundes und der Länder, Regionaldatenbank Deutschland"
)


class Dataset(models.Model):
    """One imported table (a file, a web-service fetch, a Kommune's own upload): the provenance of its values.

    ``municipality`` is empty for official statistics. A Kommune's own data (e.g. from its residents'
    register) belongs to that Kommune only and is never mixed with official series.
    """

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="datasets",
    )
    title = models.CharField(_("title"), max_length=300)
    table_code = models.CharField(_("table code"), max_length=40, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=300)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=DatasetFormat.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    downloaded_on = models.DateField(_("downloaded on"), null=True, blank=True)
    data_as_of = models.CharField(_("data as of"), max_length=100, blank=True, help_text=_("e.g. “Stand: 10.10.2017”"))
    is_example = models.BooleanField(
        _("example data"), default=False, help_text=_("Generated example data (Beispieldaten), never official figures.")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    value_count = models.PositiveIntegerField(_("values"), default=0)
    region_count = models.PositiveIntegerField(_("regions"), default=0)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"], condition=Q(municipality__isnull=True), name="demography_dataset_official_unique"
            ),
            models.UniqueConstraint(fields=["municipality", "sha256"], name="demography_dataset_own_unique"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_official(self) -> bool:
        return self.municipality_id is None and not self.is_example

    @property
    def attribution(self) -> str:
        """The text shown wherever the dataset's figures appear."""
        if self.is_example:
            return "Beispieldaten (erzeugt, keine amtlichen Zahlen)"
        parts = [f"Datenquelle: {self.source}"]
        if self.table_code:
            parts.append(f"Tabelle {self.table_code}")
        if self.data_as_of:
            parts.append(self.data_as_of)
        if self.licence:
            parts.append(self.licence)
        return "; ".join(parts)


class Observation(models.Model):
    """One value: region × variable × year × sex × age group, as published (or uploaded).

    ``region_key`` is the key as used by the statistics (AGS for Gemeinden, 5 digits for Kreise, "DG" …);
    it may be a historical key that the current Gemeindeverzeichnis no longer has. ``age_group`` is the
    canonical label ("total", single years "37", ranges "0-2", open "75+"); ``age_from``/``age_to``
    (inclusive; ``age_to`` empty for open groups and for "total") make it sortable and computable.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="observations")
    region_key = models.CharField(max_length=12)
    district = models.CharField(max_length=100, blank=True, help_text=_("Part of the municipality (own data only)"))
    variable = models.CharField(max_length=60)
    year = models.SmallIntegerField()
    date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=6, choices=Sex.choices)
    age_group = models.CharField(max_length=12, default="total")
    age_from = models.SmallIntegerField(null=True, blank=True)
    age_to = models.SmallIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    flag = models.CharField(max_length=4, blank=True)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        indexes = [
            models.Index(fields=["region_key", "variable", "year"], name="demography_obs_region_idx"),
            models.Index(fields=["variable", "year"], name="demography_obs_variable_idx"),
        ]

    def __str__(self):
        return f"{self.region_key} {self.variable} {self.year} {self.sex} {self.age_group}: {self.value}"


# --- Results of the engine ----------------------------------------------------------------------


class IndicatorValue(models.Model):
    """A computed indicator for a region and year (all regions computed in one vectorised pass)."""

    region_key = models.CharField(max_length=12)
    indicator = models.CharField(max_length=40)
    year = models.SmallIntegerField()
    value = models.FloatField(null=True, blank=True)
    basis = models.CharField(max_length=300, blank=True, help_text=_("Which data the value was computed from"))
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["region_key", "indicator", "year"], name="demography_indicator_unique")
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="demography_indicator_idx")]

    def __str__(self):
        return f"{self.region_key} {self.indicator} {self.year}: {self.value}"


class ProjectionScenario(models.Model):
    """Assumptions of a projection. Presets have no municipality; Kommunen may define their own.

    A Kommune's own scenario is computed by a background task (``tasks.compute_scenario_task``) that reports its
    ``status`` and current step (``progress``, one of ``pipeline.SCENARIO_STEPS``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the calculation")
        RUNNING = "running", _("being calculated")
        DONE = "done", _("calculated")
        FAILED = "failed", _("calculation failed")

    class Step(models.TextChoices):
        LOAD = "load", _("Loading the statistics")
        PREPARE = "prepare", _("Preparing the base population and the assumptions")
        PROJECT = "project", _("Projecting the population")
        STORE = "store", _("Saving the results")

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="projection_scenarios",
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    fertility_factor = models.FloatField(_("fertility factor"), default=1.0)
    life_expectancy_shift = models.FloatField(_("gain in life expectancy (years)"), default=0.0)
    migration_factor = models.FloatField(_("migration factor"), default=1.0)
    # Computation of a Kommune's own scenario (a background task); empty for the presets.
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True)
    progress = models.CharField(_("step"), max_length=10, choices=Step.choices, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("projection scenario")
        verbose_name_plural = _("projection scenarios")
        ordering = ["municipality_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(municipality__isnull=True), name="demography_scenario_preset_unique"
            ),
            models.UniqueConstraint(fields=["municipality", "code"], name="demography_scenario_own_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def step_number(self) -> int | None:
        """1-based number of the current step while running (of ``step_count``)."""
        values = self.Step.values
        return values.index(self.progress) + 1 if self.progress in values else None

    @property
    def step_count(self) -> int:
        return len(self.Step.values)

    @property
    def status_token(self) -> str:
        """What the status display shows; a polling request sends it back and gets 204 if nothing changed."""
        return f"{self.status or 'none'}-{self.progress or 'none'}"


class Projection(models.Model):
    """The projected population of one region under one scenario.

    ``totals`` lists the total population per year from ``base_year`` to ``horizon_year``;
    ``pyramids`` maps a year (as string) to ``{"male": [...], "female": [...]}`` in the age groups
    ``PYRAMID_GROUPS`` (base year and horizon year at least).
    """

    region_key = models.CharField(max_length=12)
    scenario = models.ForeignKey(ProjectionScenario, on_delete=models.CASCADE, related_name="projections")
    base_year = models.SmallIntegerField()
    horizon_year = models.SmallIntegerField()
    totals = models.JSONField(default=list)
    pyramids = models.JSONField(default=dict)
    basis = models.CharField(max_length=300, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("projection")
        verbose_name_plural = _("projections")
        constraints = [models.UniqueConstraint(fields=["region_key", "scenario"], name="demography_projection_unique")]

    def __str__(self):
        return f"{self.region_key} {self.base_year}–{self.horizon_year}"


#: Age groups of stored pyramids: 0-4, 5-9, …, 85-89, 90+.
PYRAMID_GROUPS = [(a, a + 4) for a in range(0, 90, 5)] + [(90, None)]


class RegionProfile(models.Model):
    """Standardised indicator profile of a region (for similarity) and its demographic type (typology)."""

    region_key = models.CharField(max_length=12, unique=True)
    level = models.CharField(max_length=20, choices=Level.choices)
    values = models.JSONField(default=dict, help_text=_("Raw indicator values used for the comparison"))
    vector = models.JSONField(default=list, help_text=_("Standardised values (z-scores), same order as FEATURES"))
    cluster = models.SmallIntegerField(null=True, blank=True)
    cluster_label = models.CharField(max_length=100, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("region profile")
        verbose_name_plural = _("region profiles")

    def __str__(self):
        return f"{self.region_key}: {self.cluster_label}"
