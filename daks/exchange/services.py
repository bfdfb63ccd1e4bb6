"""Writes of the exchange: questions, answers, the accepted answer, following, reports and moderation.

Every function checks its rules itself (views only parse input) and raises ``DomainError`` with a message for
the person; nothing is written then. Posting is rate-limited per person (``exchange_post_user``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.comments.models import Notification, NotificationKind
from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.errors import EditConflict as BaseEditConflict
from daks.core.mail import send_templated_mail
from daks.municipalities.models import Municipality
from daks.workshops.participation import rate_limit

from .models import (
    BODY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Answer,
    Follow,
    Question,
    Report,
    ReportResolution,
)

RATE_LIMIT = "exchange_post_user"


class EditConflict(BaseEditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this post in the meantime. The saved version is shown next to your input; "
        "check it and save again to keep your version."
    )


# --- Rules ------------------------------------------------------------------------------------------


def can_take_part(user) -> bool:
    return user.has_perm("exchange.take_part")


def can_moderate(user) -> bool:
    return user.has_perm("exchange.moderate")


def can_edit(user, obj: Question | Answer, *, today: date | None = None) -> bool:
    """The author may edit a post on the day it was written (local time) while it is not hidden."""
    today = today or timezone.localdate()
    return (
        getattr(user, "is_authenticated", False)
        and obj.author_id == user.pk
        and not obj.is_hidden
        and timezone.localdate(obj.created_at) == today
    )


def _check_take_part(user) -> None:
    if not can_take_part(user):
        raise DomainError(_("Only members of a municipality can take part in the exchange."))


def _check_moderate(user) -> None:
    if not can_moderate(user):
        raise DomainError(_("Only the editorial office of the network can moderate the exchange."))


def _clean(value: str, *, field: str, empty: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(empty, field=field)
    if len(value) > max_length:
        raise DomainError(_("This text can be at most %(max)s characters long.") % {"max": max_length}, field=field)
    return value


def _clean_title(title: str) -> str:
    return _clean(title, field="title", empty=_("Please enter a title."), max_length=TITLE_MAX_LENGTH)


def _clean_body(body: str, *, empty: str) -> str:
    return _clean(body, field="body", empty=empty, max_length=BODY_MAX_LENGTH)


def _check_municipality(user, municipality: Municipality | None) -> None:
    if municipality is not None and not municipality.memberships.filter(user=user).exists():
        raise DomainError(_("Please choose one of your own municipalities."), field="municipality")


#: Audit codes of hiding and showing content (spelled out so that each has its activity wording).
MODERATION_CODES = {
    ("question", True): "exchange.question.hidden",
    ("question", False): "exchange.question.shown",
    ("answer", True): "exchange.answer.hidden",
    ("answer", False): "exchange.answer.shown",
}


def _audit_data(question: Question, **data) -> dict:
    return {"question": question.pk, "topic": question.topic_id, **data}


# --- Questions --------------------------------------------------------------------------------------


@transaction.atomic
def question_create(*, actor, topic, title: str, body: str, municipality: Municipality | None = None) -> Question:
    _check_take_part(actor)
    title = _clean_title(title)
    body = _clean_body(body, empty=_("Please describe your question."))
    _check_municipality(actor, municipality)
    rate_limit(RATE_LIMIT, str(actor.pk))
    question = Question.objects.create(topic=topic, title=title, body=body, author=actor, municipality=municipality)
    log_action(
        "exchange.question.created", actor=actor, municipality=municipality, obj=question, **_audit_data(question)
    )
    return question


@transaction.atomic
def question_update(
    *,
    actor,
    question: Question,
    title: str,
    body: str,
    municipality: Municipality | None = None,
    expected_version: str = "",
    today: date | None = None,
) -> Question:
    current = Question.objects.select_for_update().filter(pk=question.pk).first()
    if current is None:
        raise DomainError(_("This question has been deleted in the meantime."))
    if not can_edit(actor, current, today=today):
        raise DomainError(_("Only the author can edit a post, and only on the day it was written."))
    if expected_version and expected_version != current.version:
        raise EditConflict(current)
    current.title = _clean_title(title)
    current.body = _clean_body(body, empty=_("Please describe your question."))
    _check_municipality(actor, municipality)
    current.municipality = municipality
    current.save()
    log_action(
        "exchange.question.updated", actor=actor, municipality=current.municipality, obj=current, **_audit_data(current)
    )
    return current


# --- Answers ----------------------------------------------------------------------------------------


@transaction.atomic
def answer_create(*, actor, question: Question, body: str) -> Answer:
    """Answer ``question``; its author and its followers (not the answering person) are notified."""
    _check_take_part(actor)
    question = (
        Question.objects.select_for_update(of=("self",)).select_related("author", "municipality").get(pk=question.pk)
    )
    if question.is_hidden:
        raise DomainError(_("This question has been hidden by the moderation and cannot be answered."))
    body = _clean_body(body, empty=_("Please write an answer."))
    rate_limit(RATE_LIMIT, str(actor.pk))
    answer = Answer.objects.create(question=question, body=body, author=actor)
    notified = _notify_answer(question, answer)
    log_action(
        "exchange.answer.created",
        actor=actor,
        municipality=question.municipality,
        obj=question,
        **_audit_data(question, answer=answer.pk, notified=notified),
    )
    return answer


@transaction.atomic
def answer_update(*, actor, answer: Answer, body: str, expected_version: str = "", today: date | None = None) -> Answer:
    current = Answer.objects.select_for_update(of=("self",)).select_related("question").filter(pk=answer.pk).first()
    if current is None:
        raise DomainError(_("This answer has been deleted in the meantime."))
    if not can_edit(actor, current, today=today):
        raise DomainError(_("Only the author can edit a post, and only on the day it was written."))
    if current.question.is_hidden:
        raise DomainError(_("This question has been hidden by the moderation and cannot be answered."))
    if expected_version and expected_version != current.version:
        raise EditConflict(current)
    current.body = _clean_body(body, empty=_("Please write an answer."))
    current.save()
    log_action(
        "exchange.answer.updated",
        actor=actor,
        municipality=current.question.municipality,
        obj=current.question,
        **_audit_data(current.question, answer=current.pk),
    )
    return current


@transaction.atomic
def answer_accept(*, actor, question: Question, answer: Answer | None) -> Question:
    """The question's author marks ``answer`` as the accepted one (or, with ``None``, withdraws the mark)."""
    current = Question.objects.select_for_update().get(pk=question.pk)
    if current.author_id is None or current.author_id != actor.pk:
        raise DomainError(_("Only the author of the question can accept an answer."))
    if current.is_hidden:
        raise DomainError(_("This question has been hidden by the moderation."))
    if answer is not None:
        if answer.question_id != current.pk:
            raise DomainError(_("This answer belongs to another question."))
        if answer.is_hidden:
            raise DomainError(_("A hidden answer cannot be accepted."))
    previous = current.accepted_answer_id
    current.accepted_answer = answer
    current.save(update_fields=["accepted_answer", "updated_at"])
    log_action(
        "exchange.answer.accepted" if answer else "exchange.answer.unaccepted",
        actor=actor,
        municipality=current.municipality,
        obj=current,
        **_audit_data(current, answer=answer.pk if answer else None, previous=previous),
    )
    return current


# --- Notifications ----------------------------------------------------------------------------------


def _notification_municipality(user, question: Question) -> Municipality | None:
    """Notifications belong to a Kommune: the question's one for its author, otherwise the person's first."""
    if question.municipality_id and question.municipality.memberships.filter(user=user).exists():
        return question.municipality
    return Municipality.objects.filter(memberships__user=user).order_by("memberships__created_at").first()


def _notify_answer(question: Question, answer: Answer) -> int:
    recipients = []
    if question.author is not None:
        recipients.append(question.author)
    for follow in Follow.objects.filter(question=question).select_related("user"):
        if follow.user not in recipients:
            recipients.append(follow.user)
    recipients = [user for user in recipients if user.pk != answer.author_id and user.is_active]
    url = answer.get_absolute_url()
    excerpt = Truncator(answer.body).chars(300)
    for user in recipients:
        municipality = _notification_municipality(user, question)
        if municipality is not None:
            Notification.objects.create(
                recipient=user,
                municipality=municipality,
                kind=NotificationKind.EXCHANGE_ANSWER,
                actor=answer.author,
                target_label=question.title[:255],
                text=excerpt,
                url=url,
            )
        if user.email:
            context = {
                "actor": answer.author,
                "recipient": user,
                "question": question,
                "is_author": user.pk == question.author_id,
                "text": answer.body,
                "url": settings.DAKS_BASE_URL + url,
            }
            transaction.on_commit(
                lambda user=user, context=context: send_templated_mail(
                    "exchange/email/answer", context, [user.email], language=user.language or "de"
                )
            )
    return len(recipients)


@transaction.atomic
def follow_toggle(*, actor, question: Question) -> bool:
    """Follow ``question`` (or stop following it); returns whether ``actor`` follows it now."""
    _check_take_part(actor)
    if question.is_hidden:
        raise DomainError(_("This question has been hidden by the moderation."))
    deleted, _details = Follow.objects.filter(question=question, user=actor).delete()
    if deleted:
        return False
    Follow.objects.create(question=question, user=actor)
    return True


# --- Reports and moderation -------------------------------------------------------------------------


@transaction.atomic
def report_create(*, actor, question: Question | None = None, answer: Answer | None = None, reason: str) -> Report:
    _check_take_part(actor)
    if (question is None) == (answer is None):
        raise DomainError(_("Please report either a question or an answer."))
    reason = _clean(reason, field="reason", empty=_("Please give a reason."), max_length=REASON_MAX_LENGTH)
    target = answer or question
    if target.is_hidden:
        raise DomainError(_("This post has already been hidden by the moderation."))
    if target.author_id == actor.pk:
        raise DomainError(_("You cannot report your own post."))
    open_reports = Report.objects.filter(reporter=actor, resolved_at__isnull=True)
    if open_reports.filter(question=question, answer=answer).exists():
        raise DomainError(_("You have already reported this post; the moderation will look at it."))
    rate_limit(RATE_LIMIT, str(actor.pk))
    report = Report.objects.create(question=question, answer=answer, reporter=actor, reason=reason)
    the_question = question or answer.question
    log_action(
        "exchange.report.created",
        actor=actor,
        obj=the_question,
        **_audit_data(the_question, report=report.pk, answer=answer.pk if answer else None),
    )
    return report


def _resolve_reports(target, *, actor, resolution: str, now) -> int:
    reports = Report.objects.filter(resolved_at__isnull=True)
    reports = reports.filter(answer=target) if isinstance(target, Answer) else reports.filter(question=target)
    return reports.update(resolved_at=now, resolved_by=actor, resolution=resolution)


@transaction.atomic
def visibility_set(*, actor, target: Question | Answer, hidden: bool, now=None) -> Question | Answer:
    """Hide (or show again) a question or an answer; hiding resolves the open reports on it."""
    _check_moderate(actor)
    now = now or timezone.now()
    model = type(target)
    current = model.objects.select_for_update().get(pk=target.pk)
    if current.is_hidden == hidden:
        raise DomainError(_("This post is already hidden.") if hidden else _("This post is not hidden."))
    current.is_hidden = hidden
    current.save(update_fields=["is_hidden", "updated_at"])
    resolved = _resolve_reports(current, actor=actor, resolution=ReportResolution.HIDDEN, now=now) if hidden else 0
    question = current if isinstance(current, Question) else current.question
    if hidden and isinstance(current, Answer) and question.accepted_answer_id == current.pk:
        question.accepted_answer = None
        question.save(update_fields=["accepted_answer", "updated_at"])
    kind = "answer" if isinstance(current, Answer) else "question"
    log_action(
        MODERATION_CODES[(kind, hidden)],
        actor=actor,
        municipality=question.municipality,
        obj=question,
        **_audit_data(question, answer=current.pk if kind == "answer" else None, reports_resolved=resolved),
    )
    return current


@transaction.atomic
def report_dismiss(*, actor, report: Report, now=None) -> Report:
    _check_moderate(actor)
    current = Report.objects.select_for_update().get(pk=report.pk)
    if not current.is_open:
        raise DomainError(_("This report has already been dealt with."))
    current.resolved_at = now or timezone.now()
    current.resolved_by = actor
    current.resolution = ReportResolution.DISMISSED
    current.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    question = current.question or current.answer.question
    log_action(
        "exchange.report.dismissed",
        actor=actor,
        municipality=question.municipality,
        obj=question,
        **_audit_data(question, report=current.pk, answer=current.answer_id),
    )
    return current
