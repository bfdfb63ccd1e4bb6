"""Writes concerning meetings (Treffen).

Every function is keyword-only, runs in one transaction, raises DomainError with a German message
when a rule is violated (nothing is written then) and records an audit log entry.
"""

import re
import secrets
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError, EditConflict
from daks.core.mail import send_templated_mail
from daks.strategy.group_services import check_group_for
from daks.strategy.models import Step
from daks.strategy.task_services import task_create

from .ics import meeting_ics
from .models import AgendaItem, Meeting, MeetingInvitation, Rsvp, hash_token

EDITABLE_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "description",
    "process",
    "step",
    "working_group",
)


class MeetingEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this meeting in the meantime. Please check the current values and save again."
    )


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", kwargs={"municipality_slug": meeting.municipality.slug, "pk": meeting.pk})


def rsvp_url(token: str) -> str:
    return settings.DAKS_BASE_URL + reverse("meetings_public:rsvp", kwargs={"token": token})


def _clean(municipality, fields: dict) -> dict:
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())
        if not fields["title"]:
            raise DomainError(_("Please enter a title for the meeting."), field="title")
    for key in ("place", "online_url", "description", "step"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    if fields.get("step") and fields["step"] not in Step.values:
        raise DomainError(_("Please choose a valid step."), field="step")
    if fields.get("online_url") and not fields["online_url"].startswith(("https://", "http://")):
        raise DomainError(_("The online link must start with https://."), field="online_url")
    process = fields.get("process")
    if process is not None and process.municipality_id != municipality.pk:
        raise DomainError(_("The process does not belong to this municipality."), field="process")
    if fields.get("working_group") is not None:
        fields["process"] = check_group_for(
            municipality, working_group=fields["working_group"], process=fields.get("process")
        )
    return fields


def _check_times(meeting: Meeting) -> None:
    if not meeting.starts_at or not meeting.ends_at:
        raise DomainError(_("Please enter when the meeting starts and ends."), field="starts_at")
    if meeting.ends_at <= meeting.starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="ends_at")


@transaction.atomic
def meeting_create(*, actor, municipality, title: str, starts_at: datetime, ends_at: datetime, **fields) -> Meeting:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"meeting_create() got unexpected fields: {sorted(unknown)}")
    fields = _clean(municipality, {"title": title, "starts_at": starts_at, "ends_at": ends_at, **fields})
    meeting = Meeting(municipality=municipality, created_by=actor, **fields)
    _check_times(meeting)
    meeting.save()
    log_action("meetings.meeting.created", actor=actor, municipality=municipality, obj=meeting, meeting_id=meeting.pk)
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=meeting.pk)


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, expected_version: str | None = None, **fields) -> Meeting:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() got unexpected fields: {sorted(unknown)}")
    meeting = _lock(meeting)
    if expected_version and expected_version != meeting.version:
        raise MeetingEditConflict(meeting)
    if "working_group" in fields or "process" in fields:
        fields.setdefault("working_group", meeting.working_group)
        fields.setdefault("process", meeting.process)
    fields = _clean(meeting.municipality, fields)
    changed = []
    for field, value in fields.items():
        if getattr(meeting, field) != value:
            setattr(meeting, field, value)
            changed.append(field)
    _check_times(meeting)
    meeting.save()
    log_action(
        "meetings.meeting.updated", actor=actor, municipality=meeting.municipality, obj=meeting, fields=sorted(changed)
    )
    return meeting


@transaction.atomic
def meeting_delete(*, actor, meeting: Meeting) -> None:
    log_action("meetings.meeting.deleted", actor=actor, municipality=meeting.municipality, obj=meeting)
    meeting.delete()


# --- Agenda -------------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, title: str, time=None, owner: str = "") -> AgendaItem:
    meeting = _lock(meeting)
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Please enter a title for the agenda item."), field="title")
    position = (meeting.agenda.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting, position=position, title=title, time=time, owner=" ".join((owner or "").split())
    )
    meeting.save(update_fields=["updated_at"])
    log_action("meetings.agenda.added", actor=actor, municipality=meeting.municipality, obj=meeting, item=title)
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    meeting = _lock(item.meeting)
    title = item.title
    item.delete()
    _renumber(meeting)
    meeting.save(update_fields=["updated_at"])
    log_action("meetings.agenda.removed", actor=actor, municipality=meeting.municipality, obj=meeting, item=title)


def _renumber(meeting: Meeting) -> list[AgendaItem]:
    items = list(meeting.agenda.order_by("position", "id"))
    for number, item in enumerate(items, start=1):
        if item.position != number:
            item.position = number
            item.save(update_fields=["position"])
    return items


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: str) -> None:
    """Move an agenda item one place ``up`` or ``down`` (at the edge nothing happens)."""
    if direction not in ("up", "down"):
        raise DomainError(_("Please choose a valid direction."))
    meeting = _lock(item.meeting)
    items = _renumber(meeting)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return
    items[index].position, items[target].position = items[target].position, items[index].position
    for changed in (items[index], items[target]):
        changed.save(update_fields=["position"])
    meeting.save(update_fields=["updated_at"])
    log_action(
        "meetings.agenda.moved", actor=actor, municipality=meeting.municipality, obj=meeting, direction=direction
    )


# --- Invitations --------------------------------------------------------------------------------------


@transaction.atomic
def invite(*, actor, meeting: Meeting, members=(), actors=()) -> list[MeetingInvitation]:
    """Add members of the team and/or actors (with recorded consent and an e-mail address) to the guest
    list. Somebody invited already is refused (DomainError); nothing is sent yet (see ``send_invitations``)."""
    meeting = _lock(meeting)
    municipality = meeting.municipality
    guests = []
    for user in members:
        if not municipality.memberships.filter(user=user).exists():
            raise DomainError(_("Only members of the municipality's team can be invited as members."), field="members")
        guests.append({"member": user, "name": user.name or user.email, "email": user.email, "language": user.language})
    for stakeholder in actors:
        if stakeholder.municipality_id != municipality.pk:
            raise DomainError(_("The actor does not belong to this municipality."), field="actors")
        if not (stakeholder.contact_consent and stakeholder.email):
            raise DomainError(
                _("%(name)s cannot be invited: there is no e-mail address with consent to contact.")
                % {"name": stakeholder.name},
                field="actors",
            )
        guests.append({"actor": stakeholder, "name": stakeholder.name, "email": stakeholder.email, "language": "de"})
    if not guests:
        raise DomainError(_("Please choose at least one person to invite."), field="members")
    seen = {email.lower() for email in meeting.invitations.values_list("email", flat=True)}
    created = []
    for guest in guests:
        email = guest["email"].strip().lower()
        if email in seen:
            raise DomainError(
                _("%(name)s (%(email)s) has already been invited to this meeting.")
                % {"name": guest["name"], "email": email},
                field="members" if "member" in guest else "actors",
            )
        seen.add(email)
        created.append(
            MeetingInvitation.objects.create(
                meeting=meeting, token_hash=hash_token(secrets.token_urlsafe(32)), **{**guest, "email": email}
            )
        )
    log_action("meetings.invitation.added", actor=actor, municipality=municipality, obj=meeting, count=len(created))
    return created


@transaction.atomic
def invitation_remove(*, actor, invitation: MeetingInvitation) -> None:
    meeting = invitation.meeting
    log_action("meetings.invitation.removed", actor=actor, municipality=meeting.municipality, obj=meeting)
    invitation.delete()


@transaction.atomic
def send_invitations(*, actor, meeting: Meeting, only_unsent: bool = True, now: datetime | None = None) -> int:
    """Mail the invitations (in the recipient's language, with the .ics entry and a personal RSVP link).

    Every mail gets a fresh token, so an older link stops working. Returns the number of mails queued."""
    now = now or timezone.now()
    meeting = _lock(meeting)
    invitations = meeting.invitations.all()
    if only_unsent:
        invitations = invitations.filter(sent_at__isnull=True)
    ics = meeting_ics(meeting, method="PUBLISH")
    outgoing = []
    for invitation in invitations:
        token = secrets.token_urlsafe(32)
        invitation.token_hash = hash_token(token)
        invitation.sent_at = now
        invitation.save(update_fields=["token_hash", "sent_at", "updated_at"])
        outgoing.append((invitation, token))
    if not outgoing:
        raise DomainError(_("There are no invitations left to send."))
    agenda = list(meeting.agenda.all())

    def _send():
        for invitation, token in outgoing:
            context = {
                "meeting": meeting,
                "agenda": agenda,
                "municipality": meeting.municipality,
                "invitation": invitation,
                "rsvp_url": rsvp_url(token),
            }
            send_templated_mail(
                "meetings/email/invitation",
                context,
                [invitation.email],
                language=invitation.language or "de",
                attachments=[("termin.ics", ics, "text/calendar")],
            )

    transaction.on_commit(_send)
    log_action(
        "meetings.invitation.sent", actor=actor, municipality=meeting.municipality, obj=meeting, count=len(outgoing)
    )
    return len(outgoing)


def invitation_for_token(token: str) -> MeetingInvitation | None:
    """The invitation of an RSVP link, or None (unknown token, or the meeting is over)."""
    if not token:
        return None
    invitation = (
        MeetingInvitation.objects.select_related("meeting", "meeting__municipality")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or invitation.meeting.ends_at < timezone.now():
        return None
    return invitation


@transaction.atomic
def rsvp(*, token: str, answer: str, now: datetime | None = None) -> MeetingInvitation:
    """Answer an invitation through its link (no login). Raises DomainError for an unknown/expired link."""
    if answer not in (Rsvp.YES, Rsvp.NO, Rsvp.MAYBE):
        raise DomainError(_("Please choose yes, no or maybe."), field="answer")
    invitation = invitation_for_token(token)
    if invitation is None:
        raise DomainError(_("This link is not valid (any more)."))
    invitation.rsvp = answer
    invitation.responded_at = now or timezone.now()
    invitation.save(update_fields=["rsvp", "responded_at", "updated_at"])
    log_action(
        "meetings.invitation.answered",
        actor=None,
        municipality=invitation.meeting.municipality,
        obj=invitation.meeting,
        invitation_id=invitation.pk,
        answer=answer,
    )
    return invitation


@transaction.atomic
def attendance_save(*, actor, meeting: Meeting, attended_ids) -> None:
    meeting = _lock(meeting)
    attended_ids = {int(pk) for pk in attended_ids}
    meeting.invitations.filter(pk__in=attended_ids).update(attended=True, updated_at=timezone.now())
    meeting.invitations.exclude(pk__in=attended_ids).update(attended=False, updated_at=timezone.now())
    log_action(
        "meetings.attendance.saved",
        actor=actor,
        municipality=meeting.municipality,
        obj=meeting,
        count=len(attended_ids),
    )


# --- Minutes and next steps ---------------------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")


def _parse_date(text: str, line_no: int) -> date:
    match = _DATE_RE.match(text.strip())
    try:
        if match and match.group(1):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if match:
            return date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
    except ValueError:
        pass
    raise DomainError(
        _("Line %(line)s of the next steps: “%(text)s” is not a valid date (e.g. 31.12.2026).")
        % {"line": line_no, "text": text.strip()},
        field="next_steps",
    )


def parse_next_steps(municipality, text: str) -> list[dict]:
    """One next step per line: "Title – e-mail of a member – date" (person and date are optional)."""
    steps = []
    for line_no, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip().lstrip("-*•").strip()
        if not line:
            continue
        parts = [part.strip() for part in re.split(r"(?:^|\s+)[–—-](?:\s+|$)", line)]
        title, assignee, due_date = parts[0], None, None
        for part in parts[1:]:
            if not part:
                continue
            if "@" in part:
                membership = municipality.memberships.filter(user__email__iexact=part).select_related("user").first()
                if membership is None:
                    raise DomainError(
                        _("Line %(line)s of the next steps: %(email)s is not a member of the team.")
                        % {"line": line_no, "email": part},
                        field="next_steps",
                    )
                assignee = membership.user
            else:
                due_date = _parse_date(part, line_no)
        if not title:
            raise DomainError(
                _("Line %(line)s of the next steps has no title.") % {"line": line_no}, field="next_steps"
            )
        steps.append({"title": title, "assignee": assignee, "due_date": due_date})
    return steps


@transaction.atomic
def minutes_save(
    *,
    actor,
    meeting: Meeting,
    minutes: str,
    decisions: str,
    next_steps: str = "",
    expected_version: str | None = None,
) -> list:
    """Save minutes and decisions; every line of ``next_steps`` becomes a task. Returns the new tasks."""
    meeting = _lock(meeting)
    if expected_version and expected_version != meeting.version:
        raise MeetingEditConflict(meeting)
    steps = parse_next_steps(meeting.municipality, next_steps)
    meeting.minutes = (minutes or "").strip()
    meeting.decisions = (decisions or "").strip()
    meeting.save()
    tasks = [
        task_create(
            actor=actor,
            municipality=meeting.municipality,
            process=meeting.process,
            step=meeting.step,
            working_group=meeting.working_group,
            description=_("Agreed at the meeting “%(title)s”.") % {"title": meeting.title},
            link_url=meeting_url(meeting),
            link_label=meeting.title[:200],
            **step,
        )
        for step in steps
    ]
    log_action("meetings.minutes.saved", actor=actor, municipality=meeting.municipality, obj=meeting, tasks=len(tasks))
    return tasks
