"""The workshop report (Dokumentation der Zukunftswerkstatt) as PDF and ODT.

``report_data(workshop)`` collects everything the report shows; the exporters ``ReportPdf`` and ``ReportOdt``
turn it into ``(filename, mimetype, bytes)``. Contents: title, date and place, agenda, participants, ideas by
phase and field of action (visible ideas only), the ranked vote results (ties share a rank), decisions, photos
(thumbnails) and the ideas carried into the plan.

Privacy: participants are *counted* (invited, attended, taking part through the participation link); names
appear only of attendees who are team members or actors with recorded consent. Names of people taking part
through the link, and authors of ideas, never appear.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from daks.exports import base
from daks.exports.odt import OdtDocument
from daks.exports.pdf import render_pdf
from daks.meetings.exports import when_text

from . import photos as photo_module
from .models import Idea, IdeaStatus, Participant, Phase, VotingScope, Workshop


@dataclass
class FieldGroup:
    title: str
    ideas: list[Idea]


@dataclass
class PhaseGroup:
    phase: str
    label: str
    ideas_count: int
    fields: list[FieldGroup]


@dataclass
class ResultTable:
    """Ranked vote results of one voting round (all realisation ideas, one phase, or all ideas)."""

    title: str
    rows: list  # participation.ResultRow with points > 0
    unvoted: int  # ideas on the ballot without a point

    @property
    def total_points(self) -> int:
        return sum(row.points for row in self.rows)


@dataclass
class ReportData:
    workshop: Workshop
    meeting: Any
    municipality: Any
    today: datetime.date
    when: str
    agenda: list
    invited: int
    attended: int
    link_participants: int
    named_attendees: list[str]
    phases: list[PhaseGroup]
    results: list[ResultTable]
    photos: list = field(default_factory=list)
    carried: list[Idea] = field(default_factory=list)

    @property
    def ideas_count(self) -> int:
        return sum(group.ideas_count for group in self.phases)


def result_tables(workshop: Workshop) -> list[ResultTable]:
    """The vote results as the workshop voted: one table per phase (scope "per phase") or a single table."""
    from .participation import vote_results

    if workshop.voting_scope == VotingScope.PER_PHASE:
        rounds = [vote_results(workshop, phase) for phase in Phase.values]
    else:
        rounds = [vote_results(workshop)]
    tables = []
    for results in rounds:
        title = results.phase_label or _("All ideas")
        voted = [row for row in results.rows if row.points]
        tables.append(ResultTable(title=title, rows=voted, unvoted=len(results.rows) - len(voted)))
    return tables


def _named_attendees(invitations) -> list[str]:
    """Attendees who may be named: team members, and actors with recorded consent."""
    names = []
    for invitation in invitations:
        if not invitation.attended:
            continue
        if invitation.member_id or (invitation.actor_id and invitation.actor.contact_consent):
            names.append(invitation.name)
    return names


def _phase_groups(ideas: list[Idea]) -> list[PhaseGroup]:
    groups = []
    for phase, label in Phase.choices:
        in_phase = [idea for idea in ideas if idea.phase == phase]
        by_field: dict[int | None, list[Idea]] = {}
        for idea in in_phase:
            by_field.setdefault(idea.field_of_action_id, []).append(idea)
        fields = [
            FieldGroup(title=ideas_of_field[0].field_of_action.title, ideas=ideas_of_field)
            for key, ideas_of_field in sorted(
                ((key, value) for key, value in by_field.items() if key is not None),
                key=lambda item: (item[1][0].field_of_action.priority or 10**6, item[1][0].field_of_action.title),
            )
        ]
        if None in by_field:
            fields.append(FieldGroup(title=_("Without field of action"), ideas=by_field[None]))
        groups.append(PhaseGroup(phase=phase, label=str(label), ideas_count=len(in_phase), fields=fields))
    return groups


def report_data(workshop: Workshop, *, today: datetime.date | None = None) -> ReportData:
    """Everything the report shows, in a constant number of queries."""
    meeting = workshop.meeting
    invitations = list(meeting.invitations.select_related("actor").order_by("name", "id"))
    ideas = list(
        workshop.ideas.filter(status=IdeaStatus.VISIBLE)
        .select_related("field_of_action", "measure")
        .annotate(vote_count=Count("votes"))
        .order_by("phase", "position", "id")
    )
    return ReportData(
        workshop=workshop,
        meeting=meeting,
        municipality=workshop.municipality,
        today=today or timezone.localdate(),
        when=when_text(meeting),
        agenda=list(meeting.agenda.all()),
        invited=len(invitations),
        attended=sum(1 for invitation in invitations if invitation.attended),
        link_participants=Participant.objects.filter(link__workshop=workshop).count(),
        named_attendees=_named_attendees(invitations),
        phases=_phase_groups(ideas),
        results=result_tables(workshop),
        photos=photo_module.photos_of(workshop),
        carried=[idea for idea in ideas if idea.measure_id],
    )


def _title(data: ReportData) -> str:
    return _("Documentation: %(title)s") % {"title": data.meeting.title}


def _number(count: int) -> str:
    return formats.number_format(count)


class ReportExporter(base.Exporter):
    def file_name(self, data: ReportData) -> str:
        starts = timezone.localtime(data.meeting.starts_at).date().isoformat()
        return self.filename("dokumentation", data.meeting.title, starts)


class ReportPdf(ReportExporter):
    identifier = "pdf"
    extension = "pdf"
    mimetype = base.PDF
    label = gettext_lazy("Report (PDF)")

    def html(self, data: ReportData) -> str:
        context = {
            "data": data,
            "meeting": data.meeting,
            "municipality": data.municipality,
            "document_title": _title(data),
            "photos": [(photo, photo_module.thumbnail_data_uri(photo)) for photo in data.photos],
            "results": [(table, _results_note(table)) for table in data.results],
        }
        return render_to_string("workshops/report/report.html", context)

    def render(self, data: ReportData) -> tuple[str, str, bytes]:
        return self.file_name(data), self.mimetype, render_pdf(self.html(data))


class ReportOdt(ReportExporter):
    identifier = "odt"
    extension = "odt"
    mimetype = base.ODT
    label = gettext_lazy("Report (ODT)")

    def render(self, data: ReportData) -> tuple[str, str, bytes]:
        meeting = data.meeting
        doc = OdtDocument(title=_title(data), subject=data.municipality.name)
        doc.paragraph(data.municipality.name, muted=True)
        doc.heading(_title(data), 1)
        doc.labelled(_("Date and time:"), data.when)
        if meeting.place:
            doc.labelled(_("Place:"), meeting.place)
        if meeting.online_url:
            doc.labelled(_("Online meeting link:"), meeting.online_url)
        doc.labelled(_("Strategy process:"), data.workshop.process.title)
        doc.paragraph(_("As of %(date)s") % {"date": formats.date_format(data.today)}, muted=True)

        doc.heading(_("Agenda"), 2)
        if data.agenda:
            doc.table(
                [_("No."), _("Time"), _("Agenda item"), _("Responsible")],
                [
                    [
                        str(number),
                        formats.time_format(item.time, "TIME_FORMAT") if item.time else "",
                        item.title,
                        item.owner,
                    ]
                    for number, item in enumerate(data.agenda, start=1)
                ],
            )
        else:
            doc.paragraph(_("The agenda is still empty."), muted=True)

        doc.heading(_("Participants"), 2)
        doc.table(
            [_("Participants"), _("Number")],
            [
                [_("Invited"), _number(data.invited)],
                [_("Attended"), _number(data.attended)],
                [_("Took part through the participation link"), _number(data.link_participants)],
            ],
            numeric_columns=[1],
        )
        if data.named_attendees:
            doc.labelled(_("Present (with consent):"), ", ".join(data.named_attendees))
        doc.paragraph(
            _("Names are only shown of team members and of actors who consented; participation is anonymous."),
            muted=True,
        )

        doc.heading(_("Ideas by phase and field of action"), 2)
        for group in data.phases:
            doc.heading(f"{group.label} ({group.ideas_count})", 3)
            if not group.fields:
                doc.paragraph(_("No ideas in this phase."), muted=True)
            for field_group in group.fields:
                doc.labelled(field_group.title, "")
                doc.bullets(_idea_line(idea) for idea in field_group.ideas)

        doc.heading(_("Results of the dot voting"), 2)
        for table in data.results:
            doc.heading(table.title, 3)
            if not table.rows:
                doc.paragraph(_("No votes were cast."), muted=True)
                continue
            doc.table(
                [_("Rank"), _("Idea"), _("Field of action"), _("Points"), _("Voters")],
                [
                    [
                        _rank_text(row),
                        row.idea.text,
                        row.idea.field_of_action.title if row.idea.field_of_action_id else "–",
                        _number(row.points),
                        _number(row.voters),
                    ]
                    for row in table.rows
                ],
                numeric_columns=[0, 3, 4],
            )
            doc.paragraph(_results_note(table), muted=True)

        doc.heading(_("Decisions"), 2)
        if meeting.decisions:
            doc.paragraph(meeting.decisions)
        else:
            doc.paragraph(_("No decisions recorded."), muted=True)

        doc.heading(_("Photos"), 2)
        if data.photos:
            for photo in data.photos:
                _odt_image(doc, photo)
        else:
            doc.paragraph(_("No photos were uploaded."), muted=True)

        doc.heading(_("Ideas carried into the plan"), 2)
        if data.carried:
            doc.table(
                [_("Idea"), _("Measure (draft)"), _("Points")],
                [[idea.text, idea.measure.title, _number(idea.vote_count)] for idea in data.carried],
                numeric_columns=[2],
            )
        else:
            doc.paragraph(_("No ideas have been carried into the plan yet."), muted=True)
        return self.file_name(data), self.mimetype, doc.to_bytes()


def _idea_line(idea: Idea) -> str:
    if idea.vote_count:
        return f"{idea.text} ({_points(idea.vote_count)})"
    return idea.text


def _points(count: int) -> str:
    return ngettext("%(count)s point", "%(count)s points", count) % {"count": formats.number_format(count)}


def _rank_text(row) -> str:
    return f"{row.rank}{' =' if row.tied else ''}"


def _results_note(table: ResultTable) -> str:
    note = _("%(count)s points in total. Equal points share a rank (marked with “=”).") % {
        "count": _number(table.total_points)
    }
    if table.unvoted:
        note += " " + ngettext(
            "%(count)s idea received no point.", "%(count)s ideas received no point.", table.unvoted
        ) % {"count": _number(table.unvoted)}
    return note


def _odt_image(doc: OdtDocument, photo) -> None:
    """The photo's thumbnail as a picture in its own paragraph, followed by its caption."""
    from odf.draw import Frame, Image
    from odf.text import P

    content = photo_module.thumbnail_bytes(photo)
    if content:
        try:
            from PIL import Image as PilImage

            with PilImage.open(io.BytesIO(content)) as image:
                width, height = image.size
        except (OSError, ValueError):  # a broken thumbnail only loses its picture, never the report
            width = height = 0
        if width and height:
            name = (photo.thumbnail or photo.image).name.rsplit("/", 1)[-1]
            href = doc.document.addPictureFromString(content, photo_module.mimetype_of(name))
            width_cm = 12.0
            height_cm = width_cm * height / width
            frame = Frame(width=f"{width_cm:.2f}cm", height=f"{height_cm:.2f}cm", anchortype="as-char", name=name)
            frame.addElement(Image(href=href))
            paragraph = P(stylename=doc.body)
            paragraph.addElement(frame)
            doc.document.text.addElement(paragraph)
    label = photo.caption
    if photo.phase:
        label = f"{photo.caption} ({photo.get_phase_display()})"
    doc.paragraph(label, muted=True)


EXPORTERS = (ReportPdf(), ReportOdt())
