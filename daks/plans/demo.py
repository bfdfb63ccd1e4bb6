"""Demo content of the Werkstattplan ("Beispieldaten"): called by ``seed_demo`` for the demo town.

``seed_plan(town, process, coordinator)`` is idempotent: fields of action, goals and measures are looked up by
title and created only when missing. The titles are example content of the (fictional, labelled) demo Kommune.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from .models import Goal, Measure, MeasureStatus, Milestone, Plan, Priority, TargetGroup

DEMO_FIELDS = [
    "Wohnen",
    "Gesundheit und Pflege",
    "Bürgerschaftliches Engagement",
    "Arbeit und Wirtschaft",
    "Begegnung/Beratung/Selbsthilfe",
    "Digitalisierung",
]

# field → [(goal title, official indicator code or "", own indicator name, unit, baseline, target)]
DEMO_GOALS = {
    "Wohnen": [
        ("Ältere Menschen können in ihrem Quartier wohnen bleiben", "share_80_plus", "", "%", None, None),
        ("Mehr barrierearme Wohnungen", "", "Barrierearme Wohnungen im Bestand", "Wohnungen", "120", "300"),
    ],
    "Gesundheit und Pflege": [
        ("Hausärztliche Versorgung sichern", "", "Hausarztpraxen in der Stadt", "Praxen", "6", "8"),
        ("Pflegende Angehörige entlasten", "", "Plätze in der Tagespflege", "Plätze", "12", "30"),
    ],
    "Bürgerschaftliches Engagement": [
        ("Junge Menschen für das Ehrenamt gewinnen", "share_under_18", "", "%", None, None),
        ("Vereine bei der Nachfolge unterstützen", "", "Vereine mit geregelter Vorstandsnachfolge", "%", "40", "75"),
    ],
    "Arbeit und Wirtschaft": [
        ("Fachkräfte halten und gewinnen", "net_migration_per_1000", "", "je 1.000", None, None),
        ("Vereinbarkeit von Beruf und Pflege verbessern", "", "Betriebe mit Pflege-Angeboten", "Betriebe", "3", "15"),
    ],
    "Begegnung/Beratung/Selbsthilfe": [
        ("Treffpunkte in allen Stadtteilen", "", "Stadtteile mit offenem Treffpunkt", "Stadtteile", "2", "5"),
        ("Beratung aus einer Hand", "old_age_dependency_ratio", "", "je 100", None, None),
    ],
    "Digitalisierung": [
        ("Digitale Teilhabe älterer Menschen stärken", "share_65_plus", "", "%", None, None),
        ("Verwaltungsleistungen online anbieten", "", "Online verfügbare Verwaltungsleistungen", "%", "35", "80"),
    ],
}

DEMO_MEASURES = {
    "Wohnen": [
        "Wohnberatung für ältere Menschen einrichten",
        "Förderprogramm barrierearmer Umbau",
        "Quartierskonzept Altstadt",
        "Wohnungstausch-Börse Jung und Alt",
        "Gemeinschaftliches Wohnprojekt am Mühlbach",
        "Bauleitplanung: Mehrgenerationenwohnen im Neubaugebiet",
        "Kooperationsvertrag mit der Wohnungsbaugenossenschaft",
    ],
    "Gesundheit und Pflege": [
        "Ärztehaus mit Praxisräumen zur Miete",
        "Stipendium für Medizinstudierende",
        "Pflegestützpunkt im Rathaus",
        "Tagespflege im ehemaligen Pfarrhaus",
        "Gesundheitstage für Seniorinnen und Senioren",
        "Nachbarschaftshilfe für Pflegende",
        "Demenzfreundliche Kommune",
    ],
    "Bürgerschaftliches Engagement": [
        "Ehrenamtsbörse online",
        "Jugendforum einrichten",
        "Ehrenamtskarte einführen",
        "Vereinsberatung zur Vorstandsnachfolge",
        "Anerkennungsabend für Engagierte",
        "Freiwilligendienst aller Generationen",
        "Schulprojekt „Engagement macht Schule“",
    ],
    "Arbeit und Wirtschaft": [
        "Netzwerk Fachkräftesicherung",
        "Willkommenspaket für Zugezogene",
        "Betriebliche Pflegelotsen",
        "Coworking-Space im Bahnhof",
        "Ausbildungsmesse mit der Grundschule am Markt",
        "Rückkehrer-Tag zwischen den Jahren",
    ],
    "Begegnung/Beratung/Selbsthilfe": [
        "Offener Treff im Stadtteil Nord",
        "Seniorenwegweiser neu auflegen",
        "Sprechstunde des Seniorenbeirats",
        "Mittagstisch für Alleinstehende",
        "Begegnungscafé in der Kirchengemeinde",
        "Selbsthilfegruppen-Tag",
    ],
    "Digitalisierung": [
        "Digitallotsen für Ältere",
        "Tablet-Kurse in der Stadtbücherei",
        "Online-Terminvergabe im Bürgerbüro",
        "Freies WLAN an Treffpunkten",
        "Digitale Ehrenamtsbörse mit Vereinskalender",
        "Smart-Home-Musterwohnung",
        "Open-Data-Portal der Stadt",
    ],
}

DEMO_PARTNERS = [
    "Seniorenbeirat",
    "Wohnungsbaugenossenschaft Beispielstadt eG",
    "Evangelische Kirchengemeinde",
    "Grundschule am Markt",
    "Bürgermeisterin der Beispielstadt",
    "Lokalzeitung Beispielstädter Bote",
]
DEMO_RESPONSIBLE = ["koordination@beispielstadt.example", "mitarbeit@beispielstadt.example", None]
DEMO_UNITS = ["Amt für Soziales", "Stadtplanungsamt", "Wirtschaftsförderung", "Hauptamt"]
STATUS_CYCLE = [
    MeasureStatus.IN_PROGRESS,
    MeasureStatus.PLANNED,
    MeasureStatus.DONE,
    MeasureStatus.IDEA,
    MeasureStatus.IN_PROGRESS,
    MeasureStatus.PLANNED,
    MeasureStatus.PAUSED,
    MeasureStatus.DROPPED,
]
TARGET_CYCLE = [
    [TargetGroup.SENIORS],
    [TargetGroup.FAMILIES, TargetGroup.CHILDREN],
    [TargetGroup.ALL],
    [TargetGroup.YOUTH],
    [TargetGroup.WORKING_AGE, TargetGroup.MIGRATION],
    [TargetGroup.SENIORS, TargetGroup.DISABILITIES],
]


def _latest_value(process, code):
    """The latest value of an official indicator for the demo town (or None without statistics)."""
    from daks.demography.example_data import EXAMPLE_TOWN_KEY
    from daks.demography.models import IndicatorValue
    from daks.profile.selectors import statistics_key

    for key in (statistics_key(process), EXAMPLE_TOWN_KEY):
        value = (
            IndicatorValue.objects.filter(region_key=key, indicator=code, value__isnull=False).order_by("-year").first()
        )
        if value is not None:
            return value
    return None


@transaction.atomic
def seed_plan(town, process, coordinator, *, today: datetime.date | None = None) -> Plan:
    """The demo Werkstattplan: 6 fields of action, 12 goals, 40 measures in all statuses (Beispieldaten)."""
    from daks.accounts.models import User
    from daks.profile.models import FieldOfAction
    from daks.strategy.models import Actor

    today = today or datetime.date.today()
    plan, _created = Plan.objects.get_or_create(process=process, defaults={"municipality": town})
    if not plan.vision:
        plan.vision = (
            "**Beispielstadt 2040: gut leben in jedem Alter.** Wir gestalten den demografischen Wandel gemeinsam – "
            "mit bezahlbarem, barrierearmem Wohnraum, einer sicheren Gesundheitsversorgung, lebendigen "
            "Nachbarschaften und einer Verwaltung, die digital und persönlich erreichbar ist.\n\n"
            "*Beispieldaten: Diese Kommune ist erfunden.*"
        )
        plan.introduction = (
            "## Anlass\n\nDie Zahl der über 80-Jährigen in Beispielstadt steigt bis 2040 deutlich, zugleich ziehen "
            "junge Familien ins Neubaugebiet. Der Stadtrat hat deshalb eine Demografiestrategie beauftragt.\n\n"
            "## Entstehung\n\n- Auftaktveranstaltung mit Verwaltung, Politik und Vereinen\n"
            "- Kommunalprofil mit Daten, Bestandsaufnahme und SWOT-Analyse\n"
            "- Zukunftswerkstatt mit Bürgerinnen und Bürgern\n\n"
            "## Fortschreibung\n\nDer Werkstattplan wird jährlich überprüft und in einer Zwischenbilanz "
            "fortgeschrieben."
        )
        plan.save()

    fields = {}
    for priority, title in enumerate(DEMO_FIELDS, start=1):
        field, _created = FieldOfAction.objects.get_or_create(
            process=process, municipality=town, title=title, defaults={"priority": priority, "author": coordinator}
        )
        fields[title] = field

    goals = {}
    for title, rows in DEMO_GOALS.items():
        for position, (goal_title, code, own, unit, baseline, target) in enumerate(rows, start=1):
            defaults = {
                "municipality": town,
                "field_of_action": fields[title],
                "indicator_code": code,
                "indicator_name": own,
                "unit": unit,
                "position": position,
            }
            if code:
                latest = _latest_value(process, code)
                if latest is not None:
                    value = Decimal(str(round(latest.value, 1)))
                    step = Decimal("2") if code != "net_migration_per_1000" else Decimal("1")
                    down = code in ("share_80_plus", "share_65_plus", "old_age_dependency_ratio")
                    defaults.update(
                        baseline_value=value,
                        baseline_year=latest.year,
                        target_value=value - step if down else value + step,
                        target_year=2030,
                    )
            else:
                defaults.update(
                    baseline_value=Decimal(baseline), baseline_year=2025, target_value=Decimal(target), target_year=2030
                )
            goals[goal_title], _created = Goal.objects.get_or_create(plan=plan, title=goal_title, defaults=defaults)

    people = {user.email: user for user in User.objects.filter(email__in=[e for e in DEMO_RESPONSIBLE if e])}
    partners = {actor.name: actor for actor in Actor.objects.filter(municipality=town, name__in=DEMO_PARTNERS)}
    index = 0
    for title, measure_titles in DEMO_MEASURES.items():
        field_goals = [goal for goal in goals.values() if goal.field_of_action_id == fields[title].pk]
        for position, measure_title in enumerate(measure_titles, start=1):
            status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
            start = datetime.date(2026 + index % 3, 1 + (index * 5) % 12, 1)
            end = datetime.date(start.year + 1 + index % 2, start.month, 28)
            own = Decimal(1000 * (1 + (index * 7) % 25))
            third = Decimal(2500 * ((index * 3) % 5))
            email = DEMO_RESPONSIBLE[index % len(DEMO_RESPONSIBLE)]
            measure, created = Measure.objects.get_or_create(
                plan=plan,
                title=measure_title,
                defaults={
                    "municipality": town,
                    "field_of_action": fields[title],
                    "description": (
                        f"{measure_title}: Beispielmaßnahme der Demo-Kommune. Ziel ist es, die Lebensqualität im "
                        "Handlungsfeld spürbar zu verbessern. *Beispieldaten.*"
                    ),
                    "responsible_unit": DEMO_UNITS[index % len(DEMO_UNITS)],
                    "responsible_person": people.get(email) if email else None,
                    "target_groups": list(TARGET_CYCLE[index % len(TARGET_CYCLE)]),
                    "start_date": start,
                    "end_date": end,
                    "budget_own": own,
                    "budget_third_party": third,
                    "budget_secured": own if status != MeasureStatus.IDEA else Decimal("0"),
                    "funding_programme": "Förderprogramm Demografie (Beispiel)" if third else "",
                    "priority": [Priority.HIGH, Priority.MEDIUM, Priority.LOW][index % 3],
                    "status": status,
                    "progress": {
                        MeasureStatus.DONE: 100,
                        MeasureStatus.IN_PROGRESS: 20 + (index * 13) % 70,
                        MeasureStatus.PAUSED: 30,
                    }.get(status, 0),
                    "position": position,
                    "created_by": coordinator,
                },
            )
            if created:
                measure.goals.set(field_goals[: 1 + index % 2])
                measure.partners.set(
                    [partners[name] for name in DEMO_PARTNERS[index % 6 : index % 6 + 2] if name in partners]
                )
                _milestones(measure, index, today)
            index += 1
    return plan


def _milestones(measure, index, today):
    """Two milestones; every fourth open measure has an overdue one (due before ``today``, not reached)."""
    closed = measure.status in (MeasureStatus.DONE, MeasureStatus.DROPPED)
    first_due = measure.start_date + datetime.timedelta(days=90)
    items = [
        ("Konzept abgestimmt", first_due, first_due if (closed or first_due < today) else None),
        ("Zwischenbericht im Ausschuss", measure.end_date - datetime.timedelta(days=120), None),
    ]
    if not closed and index % 4 == 0:
        items[0] = ("Konzept abgestimmt", today - datetime.timedelta(days=14 + index), None)
    if closed:
        items[1] = (items[1][0], items[1][1], items[1][1])
    Milestone.objects.bulk_create(
        [Milestone(measure=measure, title=title, due_date=due, done_on=done) for title, due, done in items]
    )
