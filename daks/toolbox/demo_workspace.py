"""Demo content of the toolbox in the workspace ("Beispieldaten"): called by ``seed_demo`` for the demo town.

``seed_toolbox_workspace_demo(process, coordinator)`` links a few published tools (found by searching their
titles) to measures of the process's Werkstattplan and submits one best practice of the demo Kommune, which then
waits in the editorial review. It is idempotent and skips silently what it cannot find (no tools loaded, no plan).
"""

from django.db import transaction

from daks.plans.models import Measure
from daks.strategy.models import Step

from . import search, selectors, services
from .models import Level, MeasureTool, SizeClass, Tool, ToolType, TopicField

#: (title of a demo measure, words searched in the toolbox)
DEMO_LINKS = [
    ("Wohnberatung für ältere Menschen einrichten", "Wohnberatung Wohnungsanpassung"),
    ("Quartierskonzept Altstadt", "Quartierskonzept Wohnen Versorgung Alter"),
    ("Gemeinschaftliches Wohnprojekt am Mühlbach", "Gemeinschaftliche Wohnprojekte"),
    ("Digitallotsen für Ältere", "Digitallotsinnen Seniorinnen"),
    ("Demenzfreundliche Kommune", "demenzfreundliche Kommune"),
    ("Betriebliche Pflegelotsen", "Pflegekräfte gewinnen"),
]

MAX_LINKS = 5

DEMO_SUBMISSION_TITLE = "Mittagstisch für Alleinstehende im Dorfgemeinschaftshaus (Beispieldaten)"
DEMO_SUBMISSION = {
    "title": DEMO_SUBMISSION_TITLE,
    "teaser": (
        "Beispieldaten: Ehrenamtliche kochen zweimal in der Woche für allein lebende Ältere – ein einfacher "
        "Treffpunkt gegen Einsamkeit, der sich aus Spenden und einem kleinen Zuschuss der Kommune trägt."
    ),
    "body": (
        "*Beispieldaten: Diese Kommune und dieses Projekt sind erfunden.*\n\n"
        "## Worum es geht\n\n"
        "Viele ältere Menschen essen allein. Ein Mittagstisch im Dorfgemeinschaftshaus verbindet eine warme "
        "Mahlzeit mit Begegnung und Beratung.\n\n"
        "## So sind wir vorgegangen\n\n"
        "1. Bedarf mit dem Seniorenbeirat erhoben\n"
        "2. Kochteam aus zwölf Ehrenamtlichen gewonnen, Hygieneschulung organisiert\n"
        "3. Fahrdienst mit dem Bürgerbus abgestimmt\n\n"
        "## Was es gekostet hat\n\n"
        "Rund 2.000 Euro Zuschuss im Jahr für Ausstattung und Schulungen; die Lebensmittel tragen die "
        "Gäste mit einem Kostenbeitrag."
    ),
    "tool_type": ToolType.BEST_PRACTICE,
    "steps": [Step.PLAN],
    "sizes": [SizeClass.SMALL, SizeClass.MEDIUM],
    "effort": Level.LOW,
    "cost": Level.LOW,
    "target_groups": ["Ältere Menschen", "Ehrenamtliche"],
    "contact": "Koordination Demografiestrategie, Rathaus (Beispieldaten)",
}
DEMO_TOPICS = ["begegnung-beratung-selbsthilfe", "engagement"]


def _find_tool(words: str) -> Tool | None:
    terms = search.parse_query(words)
    if not terms:
        return None
    return search.match(selectors.published_tools(), terms).order_by("-rank", "title").first()


@transaction.atomic
def seed_toolbox_workspace_demo(process, coordinator) -> tuple[int, Tool | None]:
    """Link up to five published tools to measures of ``process`` and submit one best practice (in review).

    Returns (links created, the submitted tool or None).
    """
    municipality = process.municipality
    linked = 0
    measures = {
        measure.title: measure
        for measure in Measure.objects.filter(
            plan__process=process, title__in=[title for title, _w in DEMO_LINKS]
        ).select_related("plan")
    }
    for title, words in DEMO_LINKS:
        if linked == MAX_LINKS:
            break
        measure = measures.get(title)
        tool = _find_tool(words) if measure is not None else None
        if tool is None or MeasureTool.objects.filter(measure=measure, tool=tool).exists():
            continue
        services.measure_tool_link(municipality=municipality, measure=measure, tool=tool, user=coordinator)
        linked += 1
    submitted = None
    topics = list(TopicField.objects.filter(slug__in=DEMO_TOPICS))
    exists = Tool.objects.filter(origin_municipality=municipality, title=DEMO_SUBMISSION_TITLE).exists()
    if topics and not exists:
        submitted = services.tool_submit_from_municipality(
            municipality=municipality,
            user=coordinator,
            data={**DEMO_SUBMISSION, "topics": topics},
            credit_name=False,
        )
    return linked, submitted
