"""Reads of the comments app."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import Comment, Notification


def thread(obj) -> list[Comment]:
    """The comments on ``obj``, oldest first, with their authors — one query."""
    return list(
        Comment.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .select_related("author")
        .order_by("created_at", "id")
    )


def comment_count(obj) -> int:
    return Comment.objects.for_object(obj).filter(deleted_at__isnull=True).count()


def notifications_for(user) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor", "municipality")
        .order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def comment_counts(model, pks) -> dict[int, int]:
    """``{object pk: number of (not deleted) comments}`` for many objects of ``model`` — one query.

    For "Comments (n)" links on boards: ``counts = comment_counts(SwotItem, [item.pk for item in items])``.
    """
    from django.db.models import Count

    rows = (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks), deleted_at__isnull=True
        )
        .values("object_id")
        .annotate(n=Count("id"))
    )
    return {row["object_id"]: row["n"] for row in rows}
