"""Reads concerning the tasks (Aufgaben) of Kommunen."""

from datetime import date

from django.db.models import BooleanField, Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from .models import Task, TaskStatus

OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


def _annotate(queryset: QuerySet[Task], today: date) -> QuerySet[Task]:
    return queryset.annotate(
        is_overdue=Case(
            When(Q(due_date__lt=today) & ~Q(status=TaskStatus.DONE), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        status_order=Case(
            When(status=TaskStatus.IN_PROGRESS, then=Value(0)),
            When(status=TaskStatus.OPEN, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )


def open_tasks_for_user(user, *, today: date | None = None) -> QuerySet[Task]:
    """The user's open tasks in all Kommunen they are a member of, earliest (overdue) due date first,
    tasks without a due date last. One query, whatever the number of Kommunen."""
    today = today or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return Task.objects.none()
    queryset = Task.objects.filter(
        assignee=user, status__in=OPEN_STATUSES, municipality__memberships__user=user
    ).select_related("municipality", "process")
    return _annotate(queryset, today).order_by(F("due_date").asc(nulls_last=True), "municipality__name", "pk")


def tasks_for_municipality(
    municipality,
    *,
    today: date,
    process=None,
    status: str | None = None,
    assignee=None,
    overdue: bool | None = None,
    working_group=None,
) -> QuerySet[Task]:
    """A Kommune's tasks, optionally filtered; open ones first, then by due date."""
    queryset = municipality.tasks.select_related("process", "assignee", "working_group")
    if process is not None:
        queryset = queryset.filter(process=process)
    if working_group is not None:
        queryset = queryset.filter(working_group=working_group)
    if status:
        queryset = queryset.filter(status=status)
    if assignee is not None:
        queryset = queryset.filter(assignee=assignee)
    queryset = _annotate(queryset, today)
    if overdue is not None:
        queryset = queryset.filter(is_overdue=overdue)
    return queryset.order_by("status_order", F("due_date").asc(nulls_last=True), "pk")
