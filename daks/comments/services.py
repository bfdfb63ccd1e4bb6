"""Writes of the comments app: post and delete comments, notify mentioned members, mark notifications read."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.mail import send_templated_mail

from .mentions import find_mentions, team_handles
from .models import BODY_MAX_LENGTH, Comment, Notification, NotificationKind
from .registry import get_commentable


def _audit_data(commentable, obj, comment: Comment) -> dict:
    data = {"comment_id": comment.pk, "model": commentable.key, "object_id": obj.pk}
    process_id = commentable.process_id(obj)
    if process_id:
        data["process"] = process_id
    return data


@transaction.atomic
def comment_create(*, actor, municipality, obj, body: str) -> Comment:
    """Post a comment on ``obj`` (a registered model of ``municipality``) and notify the people it mentions.

    Every mentioned member (never the author) gets one notification and one e-mail in their language, sent
    after the commit.
    """
    commentable = get_commentable(obj)
    if commentable is None or obj.municipality_id != municipality.pk:
        raise DomainError(_("Comments cannot be added here."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Please write a comment."), field="body")
    if len(body) > BODY_MAX_LENGTH:
        raise DomainError(
            _("A comment can be at most %(max)s characters long.") % {"max": BODY_MAX_LENGTH}, field="body"
        )
    comment = Comment.objects.create(
        municipality=municipality,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        author=actor,
        body=body,
    )
    mentioned = [user for user in find_mentions(body, team_handles(municipality)) if user.pk != actor.pk]
    if mentioned:
        comment.mentioned.set(mentioned)
        _notify_mentioned(comment, commentable, obj, mentioned)
    log_action(
        "comments.comment.created",
        actor=actor,
        municipality=municipality,
        obj=obj,
        mentioned=len(mentioned),
        **_audit_data(commentable, obj, comment),
    )
    return comment


def _notify_mentioned(comment: Comment, commentable, obj, users) -> None:
    url = commentable.thread_url(obj)
    excerpt = Truncator(comment.body).chars(300)
    target_label = str(obj)[:255]
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                municipality=comment.municipality,
                kind=NotificationKind.MENTION,
                actor=comment.author,
                comment=comment,
                target_label=target_label,
                text=excerpt,
                url=url,
            )
            for user in users
        ]
    )
    for user in users:
        if not user.email:
            continue
        context = {
            "actor": comment.author,
            "recipient": user,
            "municipality": comment.municipality,
            "kind_label": commentable.label,
            "target_label": target_label,
            "text": comment.body,
            "url": settings.DAKS_BASE_URL + url,
        }
        transaction.on_commit(
            lambda user=user, context=context: send_templated_mail(
                "comments/email/mention", context, [user.email], language=user.language or "de"
            )
        )


def can_delete(user, comment: Comment) -> bool:
    """The author (while still a member) and the Koordination may delete a comment."""
    if comment.is_deleted:
        return False
    if comment.author_id == user.pk and user.has_perm("municipalities.view_municipality", comment.municipality):
        return True
    return user.has_perm("municipalities.manage_team", comment.municipality)


@transaction.atomic
def comment_delete(*, actor, comment: Comment, now=None) -> Comment:
    """Soft-delete: the comment stays in the thread as "Comment deleted"; its text and mentions are removed."""
    if comment.is_deleted:
        raise DomainError(_("This comment has already been deleted."))
    if not can_delete(actor, comment):
        raise DomainError(_("Only the author or the coordination can delete this comment."))
    comment.deleted_at = now or timezone.now()
    comment.deleted_by = actor
    comment.body = ""
    comment.save(update_fields=["deleted_at", "deleted_by", "body", "updated_at"])
    comment.mentioned.clear()
    comment.notifications.all().delete()  # they quote the removed text
    obj = comment.target
    commentable = get_commentable(obj) if obj is not None else None
    data = (
        _audit_data(commentable, obj, comment)
        if commentable
        else {"comment_id": comment.pk, "model": comment.content_type.model, "object_id": comment.object_id}
    )
    log_action("comments.comment.deleted", actor=actor, municipality=comment.municipality, obj=obj or comment, **data)
    return comment


def notification_mark_read(*, user, notification: Notification, now=None) -> Notification:
    if notification.recipient_id != user.pk:
        raise DomainError(_("This is not your notification."))
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user, now=None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())
