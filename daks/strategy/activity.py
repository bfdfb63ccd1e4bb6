"""The activity feed: audit log entries in words ("edited the task “Flyer”").

Every action code a service logs (``log_action("strategy.task.created", …)``) has a wording here —
tests/strategy/test_activity.py scans the source and fails for a code without one. A wording is a
gettext string with ``%(name)s`` placeholders filled from ``entry.data`` plus:

* ``object`` — ``entry.object_repr`` (what the entry is about),
* display labels for known choice values (``step``, ``status``, ``quadrant``, ``section``, ``role``,
  ``answer``; ``old``/``new`` of status and role changes),
* ``kind`` — for comments, the kind of the commented object ("meeting").

Missing values show as "…", so an old entry never breaks the page. Add a code with ``register_action``.

Entries belong to a process when their ``data["process"]`` is its id (tasks store ``process_id``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from daks.core.models import AuditLogEntry

# --- Kinds (filter of the activity page) ------------------------------------------------------

KINDS: dict[str, tuple] = {
    # kind: (label, action code prefixes)
    "process": (_("Process and steps"), ("strategy.process.", "strategy.step.", "strategy.checklist.")),
    "swot": (_("SWOT"), ("profile.swot.",)),
    "fields": (_("Fields of action"), ("profile.field.",)),
    "profile": (_("Municipal profile"), ("profile.",)),
    "tasks": (_("Tasks"), ("strategy.task.",)),
    "meetings": (_("Meetings"), ("meetings.",)),
    "groups": (_("Working groups"), ("strategy.working_group.",)),
    "workshops": (_("Future workshop"), ("workshops.",)),
    "plan": (_("Workshop plan"), ("plans.",)),
    "reviews": (_("Interim review"), ("reviews.",)),
    "comments": (_("Comments"), ("comments.",)),
}


def kind_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _prefixes) in KINDS.items()]


# --- Wordings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    text: object  # a lazy gettext/ngettext string with %(name)s placeholders
    actor_label: object = None  # who is named when the entry has no actor (automatic/guest actions)
    params: Callable[[AuditLogEntry], dict] | None = field(default=None)


ACTIONS: dict[str, Wording] = {}


def register_action(code: str, text, *, actor_label=None, params=None) -> None:
    ACTIONS[code] = Wording(text=text, actor_label=actor_label, params=params)


def _comment_kind(entry) -> dict:
    try:
        from daks.comments.registry import get_commentable
    except ImportError:  # pragma: no cover - comments app removed
        return {}
    commentable = get_commentable(entry.data.get("model", "")) if entry.data.get("model") else None
    return {"kind": commentable.label if commentable else _("entry")}


R = register_action
# Strategy process, steps, checklists
R("strategy.process.created", _("started the process “%(object)s”"))
R("strategy.process.updated", _("edited the process “%(object)s”"))
R("strategy.process.deleted", _("deleted the process “%(object)s”"))
R("strategy.step.status_changed", _("set the step “%(step)s” to “%(status)s”"))
R("strategy.checklist.ticked", _("ticked “%(text)s” (%(step)s)"))
R("strategy.checklist.unticked", _("unticked “%(text)s” (%(step)s)"))
# Actors register
R("strategy.actor.created", _("added the actor “%(object)s”"))
R("strategy.actor.updated", _("edited the actor “%(object)s”"))
R("strategy.actor.deleted", _("removed the actor “%(object)s”"))
R("strategy.actor.imported", ngettext_lazy("imported %(count)s actor", "imported %(count)s actors", "count"))
# Tasks
R("strategy.task.created", _("created the task “%(object)s”"))
R("strategy.task.updated", _("edited the task “%(object)s”"))
R("strategy.task.status_changed", _("set the task “%(object)s” to “%(new)s”"))
R("strategy.task.deleted", _("deleted the task “%(object)s”"))
R("strategy.task.reminder_sent", _("sent a reminder for the task “%(object)s”"), actor_label=_("DAKS"))
# Working groups
R("strategy.working_group.created", _("set up the working group “%(object)s”"))
R("strategy.working_group.updated", _("edited the working group “%(object)s”"))
R("strategy.working_group.deleted", _("dissolved the working group “%(object)s”"))
# Municipal profile
R("profile.swot.created", _("added the SWOT entry “%(object)s”"))
R("profile.swot.updated", _("edited the SWOT entry “%(object)s”"))
R("profile.swot.deleted", _("deleted the SWOT entry “%(object)s”"))
R("profile.swot.moved", _("moved the SWOT entry “%(object)s”"))
R("profile.field.created", _("added the field of action “%(object)s”"))
R("profile.field.updated", _("edited the field of action “%(object)s”"))
R("profile.field.deleted", _("deleted the field of action “%(object)s”"))
R("profile.field.moved", _("changed the priority of the field of action “%(object)s”"))
R("profile.interpretation.saved", _("wrote the interpretation of “%(section)s”"))
R("profile.inventory.created", _("added “%(object)s” to the inventory"))
R("profile.inventory.updated", _("edited the inventory entry “%(object)s”"))
R("profile.inventory.deleted", _("deleted the inventory entry “%(object)s”"))
R("profile.interview.created", _("added the interview “%(object)s”"))
R("profile.interview.updated", _("edited the interview “%(object)s”"))
R("profile.interview.deleted", _("deleted the interview “%(object)s”"))
# Workshop plan (Werkstattplan)
R("plans.plan.updated", _("edited the workshop plan “%(object)s”"))
R("plans.plan.published", _("published the workshop plan (%(object)s)"))
R("plans.plan.unpublished", _("withdrew the publication of the workshop plan “%(object)s”"))
R("plans.version.created", _("saved the plan version “%(object)s”"))
R("plans.goal.created", _("added the goal “%(object)s”"))
R("plans.goal.updated", _("edited the goal “%(object)s”"))
R("plans.goal.deleted", _("deleted the goal “%(object)s”"))
R("plans.goal.moved", _("moved the goal “%(object)s”"))
R("plans.measure.created", _("added the measure “%(object)s”"))
R("plans.measure.updated", _("edited the measure “%(object)s”"))
R("plans.measure.changed", _("edited the measure “%(object)s”"))
R("plans.measure.deleted", _("deleted the measure “%(object)s”"))
R("plans.measure.moved", _("moved the measure “%(object)s”"))
R("plans.measure.reordered", _("moved the measure “%(object)s”"))
R("plans.measure.status_changed", _("changed the status of the measure “%(object)s”"))
R("plans.measure.progress_changed", _("changed the progress of the measure “%(object)s”"))
R("plans.measure.imported", _("imported the measure “%(object)s”"))
R(
    "plans.measures.imported",
    ngettext_lazy(
        "imported %(count)s measure into “%(object)s”", "imported %(count)s measures into “%(object)s”", "count"
    ),
)
R("plans.milestone.created", _("added the milestone “%(object)s”"))
R("plans.milestone.updated", _("edited the milestone “%(object)s”"))
R("plans.milestone.changed", _("edited the milestone “%(object)s”"))
R("plans.milestone.deleted", _("removed the milestone “%(object)s”"))
R("plans.milestone.done", _("marked the milestone “%(object)s” as reached"))
R("plans.milestone.reached", _("marked the milestone “%(object)s” as reached"))
R("plans.milestone.reopened", _("reopened the milestone “%(object)s”"))
R("plans.filter.created", _("saved the filter “%(object)s”"))
R("plans.filter.deleted", _("deleted the saved filter “%(object)s”"))
R("plans.digest.sent", _("sent the weekly plan digest to %(object)s"), actor_label=_("DAKS"))
# Meetings
R("meetings.meeting.created", _("scheduled the meeting “%(object)s”"))
R("meetings.meeting.updated", _("edited the meeting “%(object)s”"))
R("meetings.meeting.deleted", _("cancelled and deleted the meeting “%(object)s”"))
R("meetings.agenda.added", _("added “%(item)s” to the agenda of “%(object)s”"))
R("meetings.agenda.removed", _("removed “%(item)s” from the agenda of “%(object)s”"))
R("meetings.agenda.moved", _("reordered the agenda of “%(object)s”"))
R(
    "meetings.invitation.added",
    ngettext_lazy(
        "added %(count)s person to the guest list of “%(object)s”",
        "added %(count)s people to the guest list of “%(object)s”",
        "count",
    ),
)
R("meetings.invitation.removed", _("removed a guest from the guest list of “%(object)s”"))
R(
    "meetings.invitation.sent",
    ngettext_lazy("sent %(count)s invitation to “%(object)s”", "sent %(count)s invitations to “%(object)s”", "count"),
)
R("meetings.invitation.answered", _("answered the invitation to “%(object)s”: %(answer)s"), actor_label=_("A guest"))
R("meetings.attendance.saved", _("recorded who attended “%(object)s”"))
R("meetings.minutes.saved", _("saved the minutes of “%(object)s”"))
# Comments
R("comments.comment.created", _("commented on the %(kind)s “%(object)s”"), params=_comment_kind)
R("comments.comment.deleted", _("deleted a comment on the %(kind)s “%(object)s”"), params=_comment_kind)
# Municipality and team
R("municipality.created", _("registered the municipality “%(object)s”"))
R("municipality.updated", _("changed the details of the municipality “%(object)s”"))
R("municipality.verified", _("verified the municipality “%(object)s”"), actor_label=_("Editorial office"))
R("municipality.unverified", _("withdrew the verification of “%(object)s”"), actor_label=_("Editorial office"))
R("municipality.deleted", _("deleted the municipality “%(object)s”"))
R("municipality.member.role_changed", _("changed the role of %(object)s to “%(new)s”"))
R("municipality.member.removed", _("removed %(object)s from the team"))
R("municipality.member.left", _("left the team"))
R("municipality.coordination.handed_over", _("handed the coordination over to %(object)s"))
R("municipality.invitation.created", _("invited %(object)s to the team as “%(role)s”"))
R("municipality.invitation.resent", _("sent the invitation to %(object)s again"))
R("municipality.invitation.revoked", _("revoked the invitation of %(object)s"))
R("municipality.invitation.accepted", _("accepted the invitation to the team as “%(role)s”"))
R("municipality.join_request.created", _("asked to join the team"))
R("municipality.join_request.approved", _("admitted %(object)s to the team as “%(role)s”"))
R("municipality.join_request.declined", _("declined the request of %(object)s to join the team"))
R("account.deleted", _("deleted their account"))
# Demography
R("demography.scenario.created", _("created the projection scenario “%(object)s”"))
R("demography.scenario.updated", _("changed the projection scenario “%(object)s”"))
R("demography.scenario.deleted", _("deleted the projection scenario “%(object)s”"))
R("demography.dataset.uploaded", _("uploaded the data set “%(object)s”"))
R("demography.dataset.deleted", _("deleted the data set “%(object)s”"))
del R


# --- Describing entries -----------------------------------------------------------------------


class _Params(dict):
    def __missing__(self, key):
        return "…"


def _choice_labels() -> dict[str, dict]:
    """Display labels of stored choice values, per data key (imported lazily: no app-loading cycles)."""
    from daks.municipalities.models import Role
    from daks.profile.models import InterpretationSection, Quadrant

    from .models import Step, StepStatus, TaskStatus

    statuses = {**dict(TaskStatus.choices), **dict(StepStatus.choices)}
    roles = dict(Role.choices)
    rsvp = {"yes": _("yes"), "no": _("no")}
    return {
        "step": dict(Step.choices),
        "status": statuses,
        "previous": statuses,
        "quadrant": dict(Quadrant.choices),
        "section": dict(InterpretationSection.choices),
        "role": roles,
        "answer": rsvp,
        "old": {**statuses, **roles},
        "new": {**statuses, **roles},
    }


def _params(entry: AuditLogEntry, wording: Wording) -> _Params:
    params = _Params()
    labels = _choice_labels()
    for key, value in (entry.data or {}).items():
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif key in labels and isinstance(value, str):
            value = labels[key].get(value, value)
        params[key] = value
    params["object"] = entry.object_repr or "…"
    if wording.params is not None:
        params.update(wording.params(entry))
    if "count" in params and not isinstance(params["count"], int):
        params.pop("count")
    params.setdefault("count", 0)
    return params


def describe(entry: AuditLogEntry) -> str:
    """What happened, as a phrase after the actor's name: "edited the task “Flyer”" (in the active language)."""
    wording = ACTIONS.get(entry.action)
    if wording is None:
        return gettext("did something (%(action)s)") % {"action": entry.action}
    return str(wording.text % _params(entry, wording))


def actor_name(entry: AuditLogEntry) -> str:
    """Who did it: the person, or e.g. "DAKS" for automatic actions (entries without an actor)."""
    if entry.actor_id and entry.actor is not None:
        return entry.actor.name or entry.actor.email
    wording = ACTIONS.get(entry.action)
    return str(wording.actor_label) if wording and wording.actor_label else gettext("unknown")


def kind_of(action: str) -> str | None:
    for key, (_label, prefixes) in KINDS.items():
        if any(action.startswith(prefix) for prefix in prefixes):
            return key
    return None


# --- Reading the feed of a process ------------------------------------------------------------


def process_entries(process, *, kind: str | None = None) -> QuerySet[AuditLogEntry]:
    """All audit entries about ``process`` (newest first, actors joined), optionally of one kind."""
    entries = AuditLogEntry.objects.filter(
        Q(data__process=process.pk) | Q(data__process_id=process.pk), municipality_id=process.municipality_id
    )
    if kind in KINDS:
        condition = Q()
        for prefix in KINDS[kind][1]:
            condition |= Q(action__startswith=prefix)
        entries = entries.filter(condition)
    return entries.select_related("actor").order_by("-created_at", "-id")
