"""Demo content of step 2: inventory entries (Bestandsaufnahme) and interviews of the demo process.

Called by ``seed_demo`` after the actors, SWOT entries and fields of action exist; idempotent (everything is
looked up by title or interviewee first and never duplicated). All content is example data (Beispieldaten).
"""

from datetime import timedelta

from django.utils import timezone

from .models import (
    FieldOfAction,
    Interview,
    InterviewStatus,
    InventoryItem,
    InventoryKind,
    InventoryStatus,
    SwotItem,
)

INVENTORY = (
    {
        "title": "Seniorenbüro im Rathaus (Beispieldaten)",
        "kind": InventoryKind.FACILITY,
        "field_of_action": "Gesundheit und Pflege",
        "owner": "Sozialamt der Stadt Beispielstadt",
        "status": InventoryStatus.RUNNING,
        "start_year": 2012,
        "notes": "Beratung zu Pflege, Wohnen und Freizeit; dienstags und donnerstags geöffnet. Erfundenes Beispiel.",
    },
    {
        "title": "Quartierskonzept Altstadt (Beispieldaten)",
        "kind": InventoryKind.CONCEPT,
        "field_of_action": "Wohnen",
        "owner": "Stadtplanungsamt",
        "status": InventoryStatus.COMPLETED,
        "start_year": 2019,
        "end_year": 2021,
        "notes": "Bestandsanalyse der Altstadt mit Empfehlungen zu barrierearmen Wohnungen und Treffpunkten.",
    },
    {
        "title": "Wohnberatung für ältere Menschen (Beispieldaten)",
        "kind": InventoryKind.SERVICE,
        "field_of_action": "Wohnen",
        "owner": "Wohnungsbaugenossenschaft Beispielstadt eG",
        "status": InventoryStatus.RUNNING,
        "start_year": 2022,
        "notes": "Hausbesuche zur Anpassung der Wohnung; bisher etwa 40 Beratungen im Jahr.",
    },
    {
        "title": "Bürgerbus Beispielstadt (Beispieldaten)",
        "kind": InventoryKind.PROJECT,
        "topic": "Mobilität",
        "owner": "Bürgerbusverein Beispielstadt e. V.",
        "status": InventoryStatus.RUNNING,
        "start_year": 2016,
        "notes": "Ehrenamtliche Fahrerinnen und Fahrer verbinden die Ortsteile zweimal pro Woche mit der Altstadt.",
    },
    {
        "title": "Pflegebedarfsplanung des Landkreises (Beispieldaten)",
        "kind": InventoryKind.PLAN,
        "field_of_action": "Gesundheit und Pflege",
        "owner": "Landkreis Beispielkreis",
        "status": InventoryStatus.PLANNED,
        "start_year": 2026,
        "end_year": 2027,
        "notes": "Fortschreibung geplant; die Stadt kann Daten zur Altersstruktur beisteuern.",
    },
)

DONE_SUMMARY = (
    "Der Seniorenbeirat schätzt das Seniorenbüro und den Bürgerbus. Als größtes Problem nennt er fehlende "
    "barrierearme Wohnungen in der Altstadt: Viele Ältere bleiben in zu großen Häusern mit Treppen wohnen, "
    "weil es keine Alternative in der Nähe gibt. (Beispieldaten)"
)
DONE_STATEMENTS = (
    "In der Altstadt gibt es kaum Wohnungen ohne Stufen.\n"
    "Das Seniorenbüro ist bekannt und wird gut genutzt.\n"
    "Ohne den Bürgerbus wären die Ortsteile abgehängt."
)


def seed_profile_inventory(town, process, coordinator) -> dict:
    """Create (or complete) the demo inventory and interviews of ``process``; returns them by title/interviewee."""
    from daks.strategy.models import Actor

    fields = {field.title: field for field in FieldOfAction.objects.filter(process=process)}
    actors = {actor.name: actor for actor in Actor.objects.filter(municipality=town)}
    items = {}
    for spec in INVENTORY:
        spec = dict(spec)
        field_title = spec.pop("field_of_action", None)
        title = spec.pop("title")
        items[title], _created = InventoryItem.objects.get_or_create(
            process=process,
            municipality=town,
            title=title,
            defaults={**spec, "field_of_action": fields.get(field_title), "author": coordinator},
        )
    today = timezone.localdate()
    interviews = {}
    for interviewee, actor_name, defaults in (
        (
            "Vorsitzende des Seniorenbeirats (Beispieldaten)",
            "Seniorenbeirat",
            {
                "status": InterviewStatus.DONE,
                "date": today - timedelta(days=20),
                "summary": DONE_SUMMARY,
                "key_statements": DONE_STATEMENTS,
            },
        ),
        (
            "Vorstand der Genossenschaft (Beispieldaten)",
            "Wohnungsbaugenossenschaft Beispielstadt eG",
            {"status": InterviewStatus.PLANNED, "date": today + timedelta(days=14)},
        ),
    ):
        interviews[interviewee], _created = Interview.objects.get_or_create(
            process=process,
            municipality=town,
            interviewee=interviewee,
            defaults={**defaults, "actor": actors.get(actor_name), "interviewer": coordinator},
        )
    swot = SwotItem.objects.filter(process=process, text="Wenig barrierearmer Wohnraum").first()
    if swot is not None and not (swot.evidence_inventory_id or swot.evidence_interview_id or swot.evidence_indicator):
        swot.evidence_inventory = items["Quartierskonzept Altstadt (Beispieldaten)"]
        swot.evidence_interview = interviews["Vorsitzende des Seniorenbeirats (Beispieldaten)"]
        swot.evidence_indicator = "share_65_plus"
        swot.save()
    return {"inventory": items, "interviews": interviews}
