"""Demo content of the Zwischenbilanz (Beispieldaten): one interim review of the demo plan.

``seed_review`` assesses every goal of the demo plan (official indicators with the engine's latest value, own
indicators with an invented example value), checks ten measures, records three barriers and three enablers linked to
measures, two adjustments (one measure paused, one goal changed) recorded in the plan version "Anpassung nach
Zwischenbilanz 11/2026", and ticks two of the five consolidation items. The demo surveys (titles containing
"Befragung", created by ``demo_surveys``) are linked if they exist. Idempotent: an existing review of the same title
is returned unchanged.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from daks.plans.models import Goal, Measure, MeasureStatus

from . import selectors, services
from .models import Adjustment, AdjustmentKind, Assessment, FactorKind, FactorSource, Review, Survey

TITLE = "Zwischenbilanz Herbst 2026 (Beispieldaten)"
DATE = datetime.date(2026, 11, 12)
VERSION_NAME = "Anpassung nach Zwischenbilanz 11/2026"

#: Share of the planned change reached by the own-indicator goals, in turn (example values).
SHARES = (Decimal("0.45"), Decimal("0.30"), Decimal("0.10"), Decimal("0.55"))

GOAL_COMMENTS = {
    Assessment.ON_TRACK: "Entwicklung wie geplant; weiter beobachten.",
    Assessment.AT_RISK: "Leicht hinter dem Plan; Maßnahmen im Lenkungskreis nachsteuern.",
    Assessment.OFF_TRACK: "Deutlich hinter dem Plan; Ursachen klären und Maßnahmen anpassen.",
    Assessment.NOT_ASSESSABLE: "Noch keine belastbaren Werte; Erhebung bis zum Frühjahr 2027 vereinbart.",
}
MEASURE_ASSESSMENT = {
    MeasureStatus.DONE: (Assessment.ON_TRACK, "Abgeschlossen, Ergebnis an die Fachausschüsse berichtet."),
    MeasureStatus.IN_PROGRESS: (Assessment.ON_TRACK, "Läuft nach Zeitplan."),
    MeasureStatus.PLANNED: (Assessment.AT_RISK, "Start verzögert sich, Personal fehlt noch."),
    MeasureStatus.IDEA: (Assessment.NOT_ASSESSABLE, "Noch nicht begonnen."),
    MeasureStatus.PAUSED: (Assessment.OFF_TRACK, "Ruht; Neustart offen."),
    MeasureStatus.DROPPED: (Assessment.NOT_ASSESSABLE, "Nicht weiter verfolgt."),
}
BARRIERS = (
    "Zu wenig Personalstunden in der Verwaltung für die Umsetzung",
    "Abstimmung zwischen den Fachbereichen dauert lange",
    "Fördermittel sind befristet, Anschlussfinanzierung unklar",
)
ENABLERS = (
    "Engagierter Seniorenbeirat und aktive Vereine",
    "Rückhalt durch Bürgermeisterin und Stadtrat",
    "Gute Datengrundlage aus dem Kommunalprofil",
)


def _goal_data(row) -> dict:
    goal = row.goal
    if row.suggested_value is not None:
        return {"latest_value": row.suggested_value, "latest_year": row.suggested_year, "source": row.suggested_source}
    if goal.baseline_value is None or goal.target_value is None or not goal.baseline_year:
        return {}
    share = SHARES[goal.pk % len(SHARES)]
    value = goal.baseline_value + (goal.target_value - goal.baseline_value) * share
    return {
        "latest_value": value.quantize(Decimal("0.1")),
        "latest_year": 2026,
        "source": "Eigene Erhebung der Verwaltung (Beispieldaten)",
        "source_date": datetime.date(2026, 10, 1),
    }


def seed_review(town, process, coordinator) -> Review:
    existing = Review.objects.filter(process=process, title=TITLE).first()
    if existing is not None:
        return existing
    surveys = Survey.objects.filter(process=process, title__icontains="Befragung")
    review = services.review_create(
        actor=coordinator,
        municipality=town,
        process=process,
        title=TITLE,
        date=DATE,
        surveys=list(surveys),
        summary=(
            "Zwei Jahre nach dem Beschluss des Werkstattplans: Die meisten Maßnahmen laufen, bei Wohnen und Pflege "
            "hinken wir dem Plan hinterher. Die Befragung zeigt Rückhalt in Politik und Ehrenamt, aber knappe "
            "Ressourcen in der Verwaltung. (Beispieldaten)"
        ),
    )
    review.next_steps = (
        "Lenkungskreis beschließt die Anpassungen im Dezember 2026\n"
        "Haushaltsstelle für die Demografiestrategie im Haushalt 2027 beantragen\n"
        "Nächste Befragung im Herbst 2027"
    )
    review.save(update_fields=["next_steps", "updated_at"])

    progress = selectors.review_progress(review)
    for row in progress.goals:
        data = _goal_data(row)
        suggestion = services.suggested_assessment(
            row.goal, latest=data.get("latest_value"), latest_year=data.get("latest_year")
        )
        data["comment"] = GOAL_COMMENTS[suggestion]
        services.goal_review_save(actor=coordinator, review=review, goal=row.goal, data=data)

    measures = [row.measure for row in progress.measures]
    for measure in measures[:10]:
        assessment, comment = MEASURE_ASSESSMENT.get(measure.status, (Assessment.NOT_ASSESSABLE, ""))
        services.measure_check_save(
            actor=coordinator, review=review, measure=measure, data={"assessment": assessment, "comment": comment}
        )

    for kind, texts in ((FactorKind.BARRIER, BARRIERS), (FactorKind.ENABLER, ENABLERS)):
        for index, text in enumerate(texts):
            linked = measures[index * 3 + (0 if kind == FactorKind.BARRIER else 1) :: 7][:2]
            services.factor_create(
                actor=coordinator,
                review=review,
                data={
                    "kind": kind,
                    "text": text,
                    "source": FactorSource.SURVEY if index < 2 else FactorSource.DISCUSSION,
                    "measures": linked,
                },
            )

    _seed_adjustments(review, coordinator)
    services.consolidation_save(
        actor=coordinator,
        review=review,
        items={
            "council": {"done": True, "note": "Stadtratsbeschluss vom 12.03.2026 zum Werkstattplan."},
            "network": {"done": True, "note": "Runder Tisch Demografie trifft sich zweimal im Jahr."},
            "budget": {"done": False, "note": "Antrag zum Haushalt 2027 in Vorbereitung."},
        },
    )
    return review


def _seed_adjustments(review: Review, coordinator) -> None:
    paused = (
        Measure.objects.filter(plan__process_id=review.process_id, status=MeasureStatus.PLANNED)
        .order_by("field_of_action__priority", "position", "id")
        .first()
    )
    goal = Goal.objects.filter(plan__process_id=review.process_id).order_by("id").first()
    if paused is not None:
        adjustment = services.adjustment_create(
            actor=coordinator,
            review=review,
            data={
                "kind": AdjustmentKind.PAUSE,
                "measure": paused,
                "description": "Die Maßnahme ruht bis Mitte 2027.",
                "reason": "Die zuständige Stelle ist unbesetzt; die Kräfte werden auf laufende Maßnahmen gebündelt.",
                "decided_on": DATE,
            },
        )
        services.adjustment_apply(actor=coordinator, adjustment=adjustment)
    if goal is not None:
        services.adjustment_create(
            actor=coordinator,
            review=review,
            data={
                "kind": AdjustmentKind.CHANGE,
                "goal": goal,
                "description": "Zieljahr um zwei Jahre verschoben, Zielwert bleibt.",
                "reason": "Die Ausgangslage hat sich durch neue Zahlen der amtlichen Statistik verändert.",
                "decided_on": DATE,
            },
        )
    if Adjustment.objects.filter(review=review, plan_version__isnull=True).exists():
        services.adjustments_link_version(actor=coordinator, review=review, name=VERSION_NAME, date=DATE)
