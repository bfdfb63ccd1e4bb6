"""Reads of the demography app."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import LEVEL_ORDER, Region


def region_by_key(key: str, *, level: str | None = None, active_only: bool = False) -> Region | None:
    """The region with this official key, or None.

    Keys are unique per level; a 9-digit Gemeindeverband key or an 8-digit AGS is unique anyway. If several
    levels share a key (not the case with GV100AD keys), the highest level wins unless ``level`` is given.
    """
    regions = Region.objects.filter(key=key.strip())
    if level:
        regions = regions.filter(level=level)
    if active_only:
        regions = regions.filter(active=True)
    return min(regions, key=lambda region: LEVEL_ORDER[region.level], default=None)


def search_regions(query: str, limit: int = 20, *, active_only: bool = True) -> list[Region]:
    """Regions whose name starts with or contains ``query`` (case-insensitive) or whose key starts with it.

    ``search_name`` (the lower-cased name, filled by the import) makes this case-insensitive for umlauts on
    SQLite too, whose LIKE folds only ASCII. Name prefix matches come first, then other name matches;
    within those, higher levels and larger populations first.
    Umlauts are matched as written ("Köln" finds Köln, "Koeln" does not).
    """
    query = query.strip()
    if not query:
        return []
    if query.isdigit() or query.upper() == "DG":
        condition = Q(key__startswith=query.upper()) | Q(ars__startswith=query)
    else:
        condition = Q(search_name__contains=query.lower())
    regions = Region.objects.filter(condition)
    if active_only:
        regions = regions.filter(active=True)
    regions = regions.annotate(
        prefix=Case(
            When(search_name__startswith=query.lower(), then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        level_rank=Case(
            *[When(level=level, then=Value(rank)) for level, rank in LEVEL_ORDER.items()],
            output_field=IntegerField(),
        ),
    ).order_by("prefix", "level_rank", "-population", "name")
    return list(regions[:limit])


def children(region: Region, *, active_only: bool = True) -> QuerySet[Region]:
    regions = region.children.all()
    if active_only:
        regions = regions.filter(active=True)
    return regions.order_by("name")


def ancestors(region: Region) -> list[Region]:
    """The parent chain from the direct parent up to the Bund (at most five queries)."""
    chain = []
    current = region.parent
    while current is not None and len(chain) < len(LEVEL_ORDER):
        chain.append(current)
        current = current.parent
    return chain
