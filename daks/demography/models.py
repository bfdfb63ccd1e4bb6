from django.db import models
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
