"""The minutes (Protokoll) of a meeting as PDF and ODT: ``render(data: MinutesData) -> (filename, mimetype,
bytes)``; ``data`` comes from ``minutes_data(meeting)``. Texts follow the active language."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.exports import base
from daks.exports.odt import OdtDocument
from daks.exports.pdf import render_pdf
from daks.strategy.models import Task

from .models import Meeting, Rsvp
from .services import meeting_url


@dataclass
class MinutesData:
    meeting: Meeting
    municipality: Any
    today: datetime.date
    when: str
    agenda: list
    present: list[str]
    apologies: list[str]
    attendance_recorded: bool
    next_steps: list[Task]


def when_text(meeting: Meeting) -> str:
    """“3. März 2026, 18:00–20:00” (or both dates and times when the meeting spans days), in local time."""
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    if starts.date() == ends.date():
        return (
            f"{formats.date_format(starts, 'DATE_FORMAT')}, "
            f"{formats.time_format(starts, 'TIME_FORMAT')}–{formats.time_format(ends, 'TIME_FORMAT')}"
        )
    return f"{formats.date_format(starts, 'DATETIME_FORMAT')} – {formats.date_format(ends, 'DATETIME_FORMAT')}"


def minutes_data(meeting: Meeting, *, today: datetime.date | None = None) -> MinutesData:
    """Everything the minutes show (four queries: agenda, invitations, tasks with their assignees)."""
    invitations = list(meeting.invitations.order_by("name", "id"))
    present = [invitation.name for invitation in invitations if invitation.attended]
    apologies = [
        invitation.name for invitation in invitations if not invitation.attended and invitation.rsvp == Rsvp.NO
    ]
    next_steps = list(
        Task.objects.filter(municipality_id=meeting.municipality_id, link_url=meeting_url(meeting))
        .select_related("assignee")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    return MinutesData(
        meeting=meeting,
        municipality=meeting.municipality,
        today=today or timezone.localdate(),
        when=when_text(meeting),
        agenda=list(meeting.agenda.all()),
        present=present,
        apologies=apologies,
        attendance_recorded=bool(present),
        next_steps=next_steps,
    )


def _title(data: MinutesData) -> str:
    return _("Minutes: %(title)s") % {"title": data.meeting.title}


def _assignee(task: Task) -> str:
    return str(task.assignee) if task.assignee_id else "–"


def _due(task: Task) -> str:
    return formats.date_format(task.due_date, "SHORT_DATE_FORMAT") if task.due_date else "–"


class MinutesExporter(base.Exporter):
    def file_name(self, data: MinutesData) -> str:
        starts = timezone.localtime(data.meeting.starts_at).date().isoformat()
        return self.filename("protokoll", data.meeting.title, starts)


class MinutesPdf(MinutesExporter):
    identifier = "pdf"
    extension = "pdf"
    mimetype = base.PDF
    label = gettext_lazy("Minutes (PDF)")

    def html(self, data: MinutesData) -> str:
        context = {
            "data": data,
            "meeting": data.meeting,
            "municipality": data.municipality,
            "document_title": _title(data),
            "next_steps": [(task, _assignee(task), _due(task)) for task in data.next_steps],
        }
        return render_to_string("meetings/export/protokoll.html", context)

    def render(self, data: MinutesData) -> tuple[str, str, bytes]:
        return self.file_name(data), self.mimetype, render_pdf(self.html(data))


class MinutesOdt(MinutesExporter):
    identifier = "odt"
    extension = "odt"
    mimetype = base.ODT
    label = gettext_lazy("Minutes (ODT)")

    def render(self, data: MinutesData) -> tuple[str, str, bytes]:
        meeting = data.meeting
        doc = OdtDocument(title=_title(data), subject=data.municipality.name)
        doc.paragraph(data.municipality.name, muted=True)
        doc.heading(_title(data), 1)
        doc.labelled(_("Date and time:"), data.when)
        if meeting.place:
            doc.labelled(_("Place:"), meeting.place)
        if meeting.online_url:
            doc.labelled(_("Online meeting link:"), meeting.online_url)
        if meeting.process_id:
            process = meeting.process.title
            if meeting.step:
                process = f"{process} · {meeting.get_step_display()}"
            doc.labelled(_("Strategy process:"), process)
        doc.paragraph(_("As of %(date)s") % {"date": formats.date_format(data.today)}, muted=True)

        doc.heading(_("Participants"), 2)
        if data.attendance_recorded:
            doc.labelled(_("Present:"), ", ".join(data.present))
        else:
            doc.paragraph(_("Attendance was not recorded."), muted=True)
        if data.apologies:
            doc.labelled(_("Apologies:"), ", ".join(data.apologies))

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

        doc.heading(_("Minutes"), 2)
        doc.paragraph(meeting.minutes) if meeting.minutes else doc.paragraph(_("No minutes yet."), muted=True)
        doc.heading(_("Decisions"), 2)
        doc.paragraph(meeting.decisions) if meeting.decisions else doc.paragraph(
            _("No decisions recorded."), muted=True
        )

        doc.heading(_("Agreed next steps"), 2)
        if data.next_steps:
            doc.table(
                [_("What?"), _("Who?"), _("By when?"), _("Status")],
                [[task.title, _assignee(task), _due(task), task.get_status_display()] for task in data.next_steps],
            )
        else:
            doc.paragraph(_("No next steps were agreed."), muted=True)
        return self.file_name(data), self.mimetype, doc.to_bytes()


EXPORTERS = (MinutesPdf(), MinutesOdt())
