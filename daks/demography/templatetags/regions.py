"""Template tags of the region pages."""

from django import template

from daks.demography import selectors
from daks.demography.models import Level

register = template.Library()


@register.simple_tag
def statistics_region(municipality):
    """The region whose official key is the Kommune's AGS (None if the key is not a German region we know).

    Usage: ``{% statistics_region municipality as statistics_region %}`` (one query).
    """
    key = (getattr(municipality, "official_key", "") or "").strip()
    if not key or getattr(municipality, "country", "DE") != "DE":
        return None
    level = Level.GEMEINDE if len(key) == 8 else None
    return selectors.region_by_key(key, level=level, active_only=True)
