"""CSV and XLSX exports of survey results: the aggregated results and the raw answers.

Both return ``(filename, mimetype, bytes)``. CSV is semicolon-separated UTF-8 with BOM (opens directly in German
Excel; decimals with a comma); every text cell starting with ``= + - @`` gets a leading apostrophe so that a
spreadsheet never runs it as a formula. Free texts hidden by the moderation are never exported. The raw export of
an anonymous survey contains no invitation data and no timestamps, and its rows are shuffled so that their order
does not reveal the order of submission. Surveys with fewer than three responses are not exported in detail.
"""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict

from django.utils.translation import gettext as _

from daks.core.text import german_slugify
from daks.exports.base import XLSX

from .models import Answer, QuestionKind
from .results import GROUP_LABELS, SurveySummary, answer_values, fmt, survey_questions, too_few_message

CSV = "text/csv; charset=utf-8"


class TooFewResponses(Exception):
    """The raw answers of a survey with fewer than three responses are not exported."""


def safe_cell(value):
    """Defuse spreadsheet formulas (CSV injection): text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def kind_label(kind: str) -> str:
    return str(QuestionKind(kind).label)


def _filename(survey, suffix: str, extension: str) -> str:
    parts = [german_slugify(part) for part in ("umfrage", survey.title, suffix)]
    return "-".join(part for part in parts if part) + f".{extension}"


def _csv_bytes(headers, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(str(header)) for header in headers])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- aggregated results -------------------------------------------------------------------------


def summary_headers() -> list[str]:
    return [
        _("No."),
        _("Section"),
        _("Question"),
        _("Kind"),
        _("Answer"),
        _("Count"),
        _("Share (%)"),
        _("n"),
        _("No answer"),
        _("Mean"),
        _("Median"),
    ]


def summary_rows(summary: SurveySummary, *, spreadsheet: bool) -> list[list]:
    """One row per scale value / option (with n, "no answer", mean and median) and per visible free text.

    ``spreadsheet``: numbers stay numbers (XLSX); otherwise they are formatted for German CSV readers.
    """

    def number(value, decimals=1):
        if value is None:
            return "" if spreadsheet else "–"
        return round(value, decimals) if spreadsheet else fmt(value, decimals)

    if summary.suppressed:
        return [["", "", too_few_message(), "", "", "", "", "", "", "", ""]]
    rows = []
    for section in summary.sections:
        for stats in section.questions:
            base = [stats.number, section.title, stats.text, kind_label(stats.kind)]
            if stats.is_text:
                for answer in stats.texts:
                    if not answer.hidden:
                        rows.append([*base, answer.text, "", "", stats.n, stats.missing, "", ""])
                if not stats.texts:
                    rows.append([*base, "", "", "", stats.n, stats.missing, "", ""])
                continue
            for bucket in stats.buckets:
                rows.append(
                    [
                        *base,
                        bucket.label,
                        bucket.count,
                        number(bucket.percent),
                        stats.n,
                        stats.missing,
                        number(stats.mean) if stats.is_likert else "",
                        number(stats.median) if stats.is_likert else "",
                    ]
                )
    return rows


def _overview_lines(summary: SurveySummary) -> list[str]:
    survey = summary.survey
    lines = [
        survey.title,
        _("Responses: %(count)s") % {"count": summary.responses},
        _("of them via the open link: %(count)s") % {"count": summary.open_link_responses},
        _("Invited persons: %(count)s") % {"count": summary.invited},
        _("Response rate: %(rate)s %%") % {"rate": summary.response_rate_display},
    ]
    if survey.anonymous:
        lines.append(_("Anonymous survey: the results do not show who answered."))
    lines.append(_("Free-text answers hidden by the moderation are not included."))
    return lines


def summary_csv(summary: SurveySummary) -> tuple[str, str, bytes]:
    content = _csv_bytes(summary_headers(), summary_rows(summary, spreadsheet=False))
    return _filename(summary.survey, "ergebnisse", "csv"), CSV, content


def summary_xlsx(summary: SurveySummary) -> tuple[str, str, bytes]:
    from daks.exports.xlsx import Workbook

    title = _("Survey results: %(title)s") % {"title": summary.survey.title}
    workbook = Workbook(title=title)
    workbook.text_sheet(_("Overview"), _overview_lines(summary))
    rows = [[safe_cell(cell) for cell in row] for row in summary_rows(summary, spreadsheet=True)]
    workbook.sheet(
        _("Results"),
        summary_headers(),
        rows,
        caption=title,
        number_formats={6: "0.0", 9: "0.0", 10: "0.0"},
        widths={2: 50, 4: 40},
    )
    return _filename(summary.survey, "ergebnisse", "xlsx"), XLSX, workbook.to_bytes()


# --- raw answers --------------------------------------------------------------------------------


def _answer_cell(question, answer: dict):
    if question.kind == QuestionKind.TEXT:
        return "" if answer["hidden"] else (answer["text"] or "")
    values = answer_values(question, answer)
    if question.kind == QuestionKind.LIKERT:
        return values[0] if values else ""
    options = [str(option) for option in question.options or []]
    return ", ".join(options[index] for index in values)


def raw_table(survey, *, rng: random.Random | None = None) -> tuple[list[str], list[list]]:
    """Headers and one row per response. Anonymous: no invitation data, no timestamps, shuffled rows."""
    questions = survey_questions(survey)
    responses = list(
        survey.responses.select_related("invitation").order_by("submitted_at", "id")
        if not survey.anonymous
        else survey.responses.values_list("id", flat=True).order_by("id")
    )
    if len(responses) < 3:
        raise TooFewResponses
    answers: dict[int, dict[int, dict]] = defaultdict(dict)
    rows = Answer.objects.filter(response__survey=survey).values(
        "response_id", "question_id", "number", "choices", "text", "hidden"
    )
    for row in rows:
        answers[row["response_id"]][row["question_id"]] = row
    question_headers = [f"{number}. {question.text}" for number, question in enumerate(questions, start=1)]

    def cells(response_id):
        mine = answers.get(response_id, {})
        return [_answer_cell(question, mine[question.pk]) if question.pk in mine else "" for question in questions]

    if survey.anonymous:
        table = [cells(response_id) for response_id in responses]
        (rng or random.SystemRandom()).shuffle(table)
        headers = [_("Response"), *question_headers]
        return headers, [[index, *row] for index, row in enumerate(table, start=1)]
    headers = [_("Response"), _("Name"), _("Group"), _("Submitted at"), *question_headers]
    table = []
    for index, response in enumerate(responses, start=1):
        invitation = response.invitation
        if response.via_open_link:
            group = "open"
        elif invitation and invitation.member_id:
            group = "member"
        elif invitation and invitation.actor_id:
            group = "actor"
        else:
            group = "invited"
        submitted = response.submitted_at
        table.append(
            [
                index,
                invitation.name if invitation else "",
                str(GROUP_LABELS[group]),
                submitted,
                *cells(response.pk),
            ]
        )
    return headers, table


def raw_csv(survey) -> tuple[str, str, bytes]:
    from django.utils import formats, timezone

    headers, table = raw_table(survey)
    rows = [
        [
            formats.date_format(timezone.localtime(cell), "SHORT_DATETIME_FORMAT") if hasattr(cell, "tzinfo") else cell
            for cell in row
        ]
        for row in table
    ]
    return _filename(survey, "antworten", "csv"), CSV, _csv_bytes(headers, rows)


def raw_xlsx(survey) -> tuple[str, str, bytes]:
    from django.utils import timezone

    from daks.exports.xlsx import Workbook

    headers, table = raw_table(survey)
    rows = [
        [
            (timezone.localtime(cell).replace(tzinfo=None), "DD.MM.YYYY HH:MM")
            if hasattr(cell, "tzinfo")
            else safe_cell(cell)
            for cell in row
        ]
        for row in table
    ]
    title = _("Survey answers: %(title)s") % {"title": survey.title}
    workbook = Workbook(title=title)
    workbook.sheet(_("Answers"), headers, rows, caption=title)
    return _filename(survey, "antworten", "xlsx"), XLSX, workbook.to_bytes()
