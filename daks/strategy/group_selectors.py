"""Reads concerning the working groups (Arbeitsgruppen)."""

from datetime import date
from itertools import groupby

from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from .models import Task, WorkingGroup
from .task_selectors import OPEN_STATUSES, _annotate


def _count(queryset, key: str) -> Coalesce:
    """A correlated COUNT subquery per group: no joins multiplying rows, one query whatever the number of groups."""
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def groups_for_municipality(municipality, *, process=None) -> QuerySet[WorkingGroup]:
    """A Kommune's working groups, sorted by process, with ``member_count``, ``meeting_count`` and
    ``open_task_count``; one query."""
    from daks.meetings.models import Meeting

    queryset = (
        municipality.working_groups.select_related("process", "field_of_action", "lead")
        .annotate(
            member_count=_count(
                WorkingGroup.members.through.objects.filter(workinggroup_id=OuterRef("pk")), "workinggroup_id"
            ),
            meeting_count=_count(Meeting.objects.filter(working_group_id=OuterRef("pk")), "working_group_id"),
            open_task_count=_count(
                Task.objects.filter(working_group_id=OuterRef("pk"), status__in=OPEN_STATUSES), "working_group_id"
            ),
        )
        .order_by("-process__start_date", "process__title", "process_id", "title", "pk")
    )
    if process is not None:
        queryset = queryset.filter(process=process)
    return queryset


def groups_by_process(groups) -> list[tuple]:
    """(process, [groups]) pairs in the order of ``groups`` (which are sorted by process)."""
    return [(process, list(rows)) for process, rows in groupby(groups, key=lambda group: group.process)]


def group_queryset(municipality) -> QuerySet[WorkingGroup]:
    """Look a group up through its Kommune with this, e.g. ``get_object_or_404(group_queryset(m), pk=pk)``."""
    return municipality.working_groups.select_related("process", "field_of_action", "lead", "created_by")


def group_meetings(group: WorkingGroup):
    """The group's meetings, latest first, each with ``has_minutes`` (minutes or decisions written)."""
    return group.meetings.annotate(
        has_minutes=Case(
            When(Q(minutes="") & Q(decisions=""), then=Value(False)), default=Value(True), output_field=BooleanField()
        )
    ).order_by("-starts_at", "pk")


def group_tasks(group: WorkingGroup, *, today: date) -> QuerySet[Task]:
    """The group's tasks with ``is_overdue``: open ones first, then by due date."""
    return _annotate(group.tasks.select_related("assignee"), today).order_by(
        "status_order", F("due_date").asc(nulls_last=True), "pk"
    )
