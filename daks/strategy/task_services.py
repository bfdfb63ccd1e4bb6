"""Writes concerning the tasks (Aufgaben) of a Kommune's team.

Every function is keyword-only, runs in one transaction, raises DomainError with a German message
when a rule is violated (nothing is written then) and records an audit log entry.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError, EditConflict
from daks.core.mail import send_templated_mail

from .group_services import check_group_for
from .models import Step, Task, TaskStatus

EDITABLE_FIELDS = (
    "title",
    "description",
    "process",
    "step",
    "assignee",
    "due_date",
    "link_url",
    "link_label",
    "working_group",
)


class TaskEditConflict(EditConflict):
    """The task was changed by somebody else since the form was opened; ``current`` is the stored task."""

    conflict_message = gettext_lazy(
        "Somebody else has changed this task in the meantime. The current values are shown next to "
        "your input; check them and save again to keep your version."
    )


def task_url(task: Task) -> str:
    return settings.DAKS_BASE_URL + reverse(
        "strategy:task_edit", kwargs={"municipality_slug": task.municipality.slug, "pk": task.pk}
    )


def _clean(municipality, fields: dict) -> dict:
    """Normalise and check the editable fields (only those given)."""
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())
        if not fields["title"]:
            raise DomainError(_("Please enter a title for the task."), field="title")
    for key in ("description", "step", "link_url", "link_label"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    if fields.get("step") and fields["step"] not in Step.values:
        raise DomainError(_("Please choose a valid step."), field="step")
    process = fields.get("process")
    if process is not None and process.municipality_id != municipality.pk:
        raise DomainError(_("The process does not belong to this municipality."), field="process")
    if fields.get("working_group") is not None:
        fields["process"] = check_group_for(
            municipality, working_group=fields["working_group"], process=fields.get("process")
        )
    assignee = fields.get("assignee")
    if assignee is not None and not municipality.memberships.filter(user=assignee).exists():
        raise DomainError(_("Tasks can only be assigned to members of the municipality's team."), field="assignee")
    link = fields.get("link_url")
    if link and (not link.startswith("/") or link.startswith("//")):
        raise DomainError(_("The link must point to a page inside DAKS."), field="link_url")
    return fields


def _apply_status(task: Task, status: str, now: datetime) -> None:
    if status not in TaskStatus.values:
        raise DomainError(_("Please choose a valid status."), field="status")
    if status == TaskStatus.DONE and task.status != TaskStatus.DONE:
        task.completed_at = now
    elif status != TaskStatus.DONE:
        task.completed_at = None
    task.status = status


def _notify_assignee(task: Task, actor) -> None:
    """After commit: tell a newly assigned person about the task (not when they assigned it themselves)."""
    assignee = task.assignee
    if assignee is None or (actor is not None and assignee.pk == actor.pk) or not assignee.email:
        return
    context = {
        "task": task,
        "municipality": task.municipality,
        "process": task.process,
        "step": task.get_step_display() if task.step else "",
        "actor": actor,
        "url": task_url(task),
    }
    transaction.on_commit(
        lambda: send_templated_mail(
            "strategy/email/task_assigned", context, [assignee.email], language=assignee.language or "de"
        )
    )


def _audit_data(task: Task) -> dict:
    return {
        "task_id": task.pk,
        "process_id": task.process_id,
        "step": task.step,
        "working_group": task.working_group_id,
    }


@transaction.atomic
def task_create(
    *,
    actor,
    municipality,
    title: str,
    description: str = "",
    process=None,
    step: str = "",
    assignee=None,
    due_date: date | None = None,
    link_url: str = "",
    link_label: str = "",
    working_group=None,
) -> Task:
    fields = _clean(
        municipality,
        {
            "working_group": working_group,
            "title": title,
            "description": description,
            "process": process,
            "step": step,
            "assignee": assignee,
            "due_date": due_date,
            "link_url": link_url,
            "link_label": link_label,
        },
    )
    task = Task.objects.create(municipality=municipality, created_by=actor, **fields)
    log_action(
        "strategy.task.created",
        actor=actor,
        municipality=municipality,
        obj=task,
        assignee_id=task.assignee_id,
        **_audit_data(task),
    )
    _notify_assignee(task, actor)
    return task


@transaction.atomic
def task_update(
    *, actor, task: Task, expected_version: str | None = None, now: datetime | None = None, **fields
) -> Task:
    """Change a task. ``expected_version`` is the ``version`` the editor's form was based on: when somebody
    else saved in between, TaskEditConflict (carrying the stored task) is raised and nothing is written."""
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"status"}
    if unknown:
        raise TypeError(f"task_update() got unexpected fields: {sorted(unknown)}")
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("municipality", "process", "assignee")
        .get(pk=task.pk)
    )
    if expected_version and expected_version != task.version:
        raise TaskEditConflict(task)
    status = fields.pop("status", None)
    if "working_group" in fields or "process" in fields:
        fields.setdefault("working_group", task.working_group)
        fields.setdefault("process", task.process)
    fields = _clean(task.municipality, fields)
    old_assignee_id = task.assignee_id
    changed = []
    for field, value in fields.items():
        if getattr(task, field) != value:
            setattr(task, field, value)
            changed.append(field)
    if status is not None and status != task.status:
        _apply_status(task, status, now or timezone.now())
        changed.append("status")
    task.save()
    log_action(
        "strategy.task.updated",
        actor=actor,
        municipality=task.municipality,
        obj=task,
        fields=sorted(changed),
        **_audit_data(task),
    )
    if task.assignee_id != old_assignee_id:
        _notify_assignee(task, actor)
    return task


@transaction.atomic
def task_set_status(*, actor, task: Task, status: str, now: datetime | None = None) -> Task:
    task = Task.objects.select_for_update().select_related("municipality").get(pk=task.pk)
    old = task.status
    _apply_status(task, status, now or timezone.now())
    if old == task.status:
        return task
    task.save(update_fields=["status", "completed_at", "updated_at"])
    log_action(
        "strategy.task.status_changed",
        actor=actor,
        municipality=task.municipality,
        obj=task,
        old=old,
        new=task.status,
        **_audit_data(task),
    )
    return task


@transaction.atomic
def task_delete(*, actor, task: Task) -> None:
    log_action("strategy.task.deleted", actor=actor, municipality=task.municipality, obj=task, **_audit_data(task))
    task.delete()


# --- Reminders ------------------------------------------------------------------------------------


def tasks_due_for_reminder(*, today: date, days: int = 2):
    """Open tasks with an assignee (still in the team) due within ``days`` days or overdue, not yet
    reminded for their current due date."""
    return (
        Task.objects.exclude(status=TaskStatus.DONE)
        .filter(
            assignee__isnull=False,
            due_date__isnull=False,
            due_date__lte=today + timedelta(days=days),
            municipality__memberships__user=F("assignee"),
        )
        .filter(Q(reminder_sent_for__isnull=True) | ~Q(reminder_sent_for=F("due_date")))
        .select_related("municipality", "process", "assignee")
        .order_by("due_date", "pk")
    )


def send_task_reminders(*, today: date, days: int = 2) -> int:
    """Queue one reminder per task and due date in the assignee's language; returns how many were queued.

    Each task is claimed with a conditional update first, so two runs at the same time never send twice.
    """
    sent = 0
    for task in tasks_due_for_reminder(today=today, days=days):
        with transaction.atomic():
            claimed = (
                Task.objects.filter(pk=task.pk, due_date=task.due_date)
                .exclude(reminder_sent_for=task.due_date)
                .update(reminder_sent_for=task.due_date)
            )
            if not claimed:
                continue
            assignee = task.assignee
            send_templated_mail(
                "strategy/email/task_reminder",
                {
                    "task": task,
                    "municipality": task.municipality,
                    "process": task.process,
                    "overdue": task.due_date < today,
                    "due_today": task.due_date == today,
                    "url": task_url(task),
                },
                [assignee.email],
                language=assignee.language or "de",
            )
            log_action(
                "strategy.task.reminder_sent",
                municipality=task.municipality,
                obj=task,
                due_date=task.due_date.isoformat(),
                **_audit_data(task),
            )
            sent += 1
    return sent
