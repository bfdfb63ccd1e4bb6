"""The report of a Zwischenbilanz as PDF and ODT: ``render(data: ReportData) -> (filename, mimetype, bytes)``.

``report_data(review)`` collects everything once (survey results through ``results.survey_summary`` – surveys with
fewer than three responses are not evaluated –, the progress review, barriers and enablers, adjustments with their
plan version, the consolidation checklist and the next steps) as display-ready strings; both formats render the
same content. Official figures carry their source and licence (Datenlizenz Deutschland) at the end.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.exports import base
from daks.exports.odt import OdtDocument
from daks.exports.pdf import render_pdf

from . import selectors
from .models import FactorKind, Review

DASH = "–"


def number(value) -> str:
    if value is None:
        return DASH
    value = Decimal(value)
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _value_with_year(value, year) -> str:
    if value is None:
        return DASH
    return f"{number(value)} ({year})" if year else number(value)


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else DASH


@dataclass
class SurveyBlock:
    title: str
    summary: Any  # results.SurveySummary
    suppressed_message: str = ""


@dataclass
class ReportData:
    review: Review
    municipality: Any
    process: Any
    today: datetime.date
    surveys: list[SurveyBlock]
    goal_rows: list[list[str]]
    goal_counts: list[tuple[str, int]]
    measure_rows: list[list[str]]
    measure_counts: list[tuple[str, int]]
    factors: dict[str, list[list[str]]]
    adjustment_rows: list[list[str]]
    consolidation_rows: list[list[str]]
    next_steps: list[str]
    attributions: list[tuple[str, str, str]] = field(default_factory=list)  # (source, licence, url)

    @property
    def title(self) -> str:
        return _("Interim review: %(title)s") % {"title": self.review.title}


def goal_headers() -> list[str]:
    return [_("Goal"), _("Indicator"), _("Baseline"), _("Latest value"), _("Target"), _("Assessment"), _("Comment")]


def measure_headers() -> list[str]:
    return [_("Measure"), _("Field of action"), _("Status at the review"), _("Assessment"), _("Comment")]


def factor_headers() -> list[str]:
    return [_("Description"), _("Source"), _("Linked measures")]


def adjustment_headers() -> list[str]:
    return [_("Decision"), _("Concerns"), _("What changes"), _("Reason"), _("Decided on"), _("Plan version")]


def consolidation_headers() -> list[str]:
    return [_("Item"), _("Done"), _("Note")]


def _light_text(light) -> str:
    return f"{light.icon} {light.label}"


def report_data(review: Review, *, today: datetime.date | None = None) -> ReportData:
    from .results import MIN_GROUP, survey_summary, too_few_message

    progress = selectors.review_progress(review)
    attributions: dict[str, tuple[str, str, str]] = {}
    goal_rows = []
    for row in progress.goals:
        latest = _value_with_year(row.latest, row.latest_year)
        if row.latest is not None and row.source:
            latest += f"\n{_('Source:')} {row.source}"
            if row.source_date:
                latest += f", {_('as of')} {_date(row.source_date)}"
        if row.licence and row.latest is not None and row.source == row.suggested_source:
            attributions[row.source] = (row.source, row.licence, row.licence_url)
        indicator = row.indicator or DASH
        if row.unit:
            indicator += f" ({row.unit})"
        goal_rows.append(
            [
                f"{row.goal.title}\n{row.goal.field_of_action.title}",
                indicator,
                _value_with_year(row.goal.baseline_value, row.goal.baseline_year),
                latest,
                _value_with_year(row.goal.target_value, row.goal.target_year),
                _light_text(row.light) + ("" if row.assessed else f" ({_('suggestion')})"),
                row.review.comment if row.review else "",
            ]
        )
    measure_rows = [
        [
            row.measure.title,
            row.measure.field_of_action.title,
            row.status_label,
            _light_text(row.light),
            row.check.comment,
        ]
        for row in progress.measures
        if row.check is not None
    ]
    factors = {
        kind: [
            [
                factor.text,
                factor.get_source_display(),
                "; ".join(measure.title for measure in factor.measures.all()) or DASH,
            ]
            for factor in items
        ]
        for kind, items in selectors.review_factors(review).items()
    }
    adjustment_rows = [
        [
            adjustment.get_kind_display(),
            str(adjustment.measure or adjustment.goal or DASH),
            adjustment.description,
            adjustment.reason,
            _date(adjustment.decided_on),
            str(adjustment.plan_version) if adjustment.plan_version else _("not yet in a version"),
        ]
        for adjustment in selectors.review_adjustments(review)
    ]
    consolidation_rows = [
        [str(row.label), _("yes") if row.done else _("no"), row.note] for row in selectors.review_consolidation(review)
    ]
    surveys = []
    for survey in review.surveys.order_by("created_at", "id"):
        summary = survey_summary(survey)
        surveys.append(
            SurveyBlock(
                title=survey.title,
                summary=summary,
                suppressed_message=too_few_message() if summary.responses < MIN_GROUP else "",
            )
        )
    return ReportData(
        review=review,
        municipality=review.municipality,
        process=review.process,
        today=today or timezone.localdate(),
        surveys=surveys,
        goal_rows=goal_rows,
        goal_counts=[(_light_text(light), count) for light, count in progress.goal_counts],
        measure_rows=measure_rows,
        measure_counts=[(_light_text(light), count) for light, count in progress.measure_counts],
        factors=factors,
        adjustment_rows=adjustment_rows,
        consolidation_rows=consolidation_rows,
        next_steps=[line.strip("-• ").strip() for line in review.next_steps.splitlines() if line.strip()],
        attributions=sorted(attributions.values()),
    )


def survey_question_rows(stats) -> list[list[str]]:
    """The distribution of one question as ``[label, count, percent]`` rows."""
    return [[bucket.label, str(bucket.count), f"{bucket.percent_display} %"] for bucket in stats.buckets]


class ReviewExporter(base.Exporter):
    def file_name(self, data: ReportData) -> str:
        return self.filename("zwischenbilanz", data.review.title, data.review.date.isoformat())


class ReviewPdf(ReviewExporter):
    identifier = "pdf"
    extension = "pdf"
    mimetype = base.PDF
    label = gettext_lazy("Report (PDF)")

    def html(self, data: ReportData) -> str:
        context = {
            "data": data,
            "review": data.review,
            "municipality": data.municipality,
            "document_title": data.title,
            "goal_headers": goal_headers(),
            "measure_headers": measure_headers(),
            "factor_headers": factor_headers(),
            "adjustment_headers": adjustment_headers(),
            "consolidation_headers": consolidation_headers(),
            "factor_sections": [
                (FactorKind.BARRIER, _("Barriers"), data.factors.get(FactorKind.BARRIER, [])),
                (FactorKind.ENABLER, _("Enablers"), data.factors.get(FactorKind.ENABLER, [])),
            ],
        }
        return render_to_string("reviews/report/review_pdf.html", context)

    def render(self, data: ReportData) -> tuple[str, str, bytes]:
        return self.file_name(data), self.mimetype, render_pdf(self.html(data))


class ReviewOdt(ReviewExporter):
    identifier = "odt"
    extension = "odt"
    mimetype = base.ODT
    label = gettext_lazy("Report (ODT)")

    def render(self, data: ReportData) -> tuple[str, str, bytes]:
        review = data.review
        doc = OdtDocument(title=data.title, subject=data.municipality.name)
        doc.paragraph(data.municipality.name, muted=True)
        doc.title(data.title)
        doc.labelled(_("Strategy process:"), data.process.title)
        doc.labelled(_("Date of the interim review:"), _date(review.date))
        doc.paragraph(_("As of %(date)s") % {"date": formats.date_format(data.today)}, muted=True)
        if review.summary:
            doc.heading(_("Summary"), 1)
            doc.paragraph(review.summary)

        doc.heading(_("Survey results"), 1)
        if not data.surveys:
            doc.paragraph(_("No survey is linked to this interim review."), muted=True)
        for block in data.surveys:
            summary = block.summary
            doc.heading(block.title, 2)
            doc.labelled(_("Responses:"), str(summary.responses))
            if block.suppressed_message:
                doc.paragraph(block.suppressed_message, muted=True)
                continue
            for stats in summary.questions:
                doc.heading(f"{stats.number}. {stats.text}", 3)
                if stats.is_text:
                    doc.bullets(answer.text for answer in stats.texts if not answer.hidden)
                    if not stats.texts:
                        doc.paragraph(_("No answers."), muted=True)
                    continue
                if stats.is_likert:
                    doc.paragraph(
                        _("Mean: %(mean)s · median: %(median)s · answers: %(n)s")
                        % {"mean": stats.mean_display, "median": stats.median_display, "n": stats.n}
                    )
                doc.table(
                    [_("Answer"), _("Count"), _("Share")],
                    survey_question_rows(stats),
                    numeric_columns=(1, 2),
                )

        doc.heading(_("Progress review"), 1)
        doc.heading(_("Goals"), 2)
        doc.paragraph(" · ".join(f"{label}: {count}" for label, count in data.goal_counts))
        if data.goal_rows:
            doc.table(goal_headers(), data.goal_rows, numeric_columns=(2, 3, 4))
        else:
            doc.paragraph(_("The plan has no goals yet."), muted=True)
        doc.heading(_("Measures"), 2)
        if data.measure_rows:
            doc.paragraph(" · ".join(f"{label}: {count}" for label, count in data.measure_counts))
            doc.table(measure_headers(), data.measure_rows)
        else:
            doc.paragraph(_("No measure has been checked yet."), muted=True)

        doc.heading(_("Barriers and enablers"), 1)
        for kind, heading in ((FactorKind.BARRIER, _("Barriers")), (FactorKind.ENABLER, _("Enablers"))):
            doc.heading(heading, 2)
            rows = data.factors.get(kind, [])
            doc.table(factor_headers(), rows) if rows else doc.paragraph(_("None recorded."), muted=True)

        doc.heading(_("Adjustments"), 1)
        if data.adjustment_rows:
            doc.table(adjustment_headers(), data.adjustment_rows)
        else:
            doc.paragraph(_("No adjustments were decided."), muted=True)

        doc.heading(_("Consolidation"), 1)
        doc.table(consolidation_headers(), data.consolidation_rows)

        doc.heading(_("Next steps"), 1)
        if data.next_steps:
            doc.bullets(data.next_steps)
        else:
            doc.paragraph(_("No next steps recorded."), muted=True)

        if data.attributions:
            doc.heading(_("Sources"), 2)
            doc.bullets(
                f"{source} – {licence} ({url})" if url else f"{source} – {licence}"
                for source, licence, url in data.attributions
            )
        return self.file_name(data), self.mimetype, doc.to_bytes()


EXPORTERS = (ReviewPdf(), ReviewOdt())
