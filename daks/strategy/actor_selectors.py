"""Reads concerning the actors register (Akteursregister)."""

from django.db.models import F, Q, QuerySet

from .models import Actor

#: Sort keys of the list (GET parameter ``sortierung``) → ordering.
SORTS = {
    "name": ("name", "pk"),
    "sektor": ("sector", "name", "pk"),
    "einfluss": ("-influence", "-interest", "name", "pk"),
    "interesse": ("-interest", "-influence", "name", "pk"),
    "prioritaet": ("-priority", "name", "pk"),
}
DEFAULT_SORT = "name"


def actors_for_municipality(
    municipality, *, sector: str = "", kind: str = "", search: str = "", sort: str = DEFAULT_SORT
) -> QuerySet[Actor]:
    """A Kommune's actors, optionally filtered; one query."""
    queryset = municipality.actors.annotate(priority=F("influence") + F("interest"))
    if sector:
        queryset = queryset.filter(sector=sector)
    if kind:
        queryset = queryset.filter(kind=kind)
    search = " ".join(search.split())
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(organisation__icontains=search) | Q(role_in_process__icontains=search)
        )
    return queryset.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def is_high(score: int) -> bool:
    """Scores 3–5 count as high in the stakeholder matrix, 1–2 as low."""
    return score >= 3


def quadrant(actor: Actor) -> str:
    """The quadrant code of the stakeholder matrix: manage, satisfy, inform or monitor."""
    high_influence, high_interest = is_high(actor.influence), is_high(actor.interest)
    if high_influence and high_interest:
        return "manage"
    if high_influence:
        return "satisfy"
    if high_interest:
        return "inform"
    return "monitor"
