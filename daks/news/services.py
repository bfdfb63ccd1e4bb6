"""Writes of news and newsletter (keyword-only, atomic, German ``DomainError``s, audit log).

News
    The editorial office (perm ``network.edit_network``) writes news and publishes them directly; members of a
    Kommune with ``municipalities.edit_content`` submit news *of their Kommune*, which wait for moderation
    (``submitted`` → ``published`` or ``rejected`` with a note). The submitter gets a mail on the decision.

Newsletter (double opt-in)
    ``subscriber_subscribe`` stores the address as *pending* with the hash of a random confirmation token (valid
    for ``CONFIRM_DAYS`` days) and mails the link; only ``subscriber_confirm`` makes it *confirmed*. The answer is
    the same whether the address is new, pending or already confirmed (nobody learns who subscribes). Every issue
    mail carries a personal unsubscribe link: its token is ``HMAC(SECRET_KEY, pk:nonce)``; the database keeps the
    nonce and the token's hash, a new subscription gets a new nonce (old links then no longer apply).

Sending
    ``issue_send_start`` freezes the recipients (one ``Delivery`` per confirmed subscriber) and queues the worker
    task (``daks.news.tasks``), which sends in batches and stores the progress on the issue.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.errors import EditConflict as BaseEditConflict
from daks.core.mail import send_templated_mail
from daks.core.text import german_slugify
from daks.workshops.participation import hash_token, rate_limit

from .models import (
    Delivery,
    DeliveryStatus,
    IssueStatus,
    NewsItem,
    NewsKind,
    NewsletterIssue,
    NewsStatus,
    Subscriber,
    SubscriberStatus,
)

CONFIRM_DAYS = 7
EDITOR_PERM = "network.edit_network"
MEMBER_PERM = "municipalities.edit_content"


class EditConflict(BaseEditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this entry in the meantime. The saved version is shown next to "
        "your input; check it and save again to keep your version."
    )


class TokenInvalid(DomainError):
    status = 404


class TokenExpired(DomainError):
    status = 410


# --- News -------------------------------------------------------------------------------------------------------


#: Addresses under /aktuelles/ that belong to pages, not to news.
RESERVED_SLUGS = {"feed", "redaktion", "kommunen", "einreichen"}


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = german_slugify(title, max_length=100) or "meldung"
    if base in RESERVED_SLUGS:
        base = f"{base}-meldung"
    slug, number = base, 2
    queryset = NewsItem.objects.exclude(pk=exclude_pk) if exclude_pk else NewsItem.objects.all()
    while queryset.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _check_texts(*, title: str, teaser: str, kind: str, image, image_alt: str, document=None) -> None:
    if not (title or "").strip():
        raise DomainError(_("Please enter a title."), field="title")
    if not (teaser or "").strip():
        raise DomainError(_("Please enter a teaser."), field="teaser")
    if kind not in NewsKind.values:
        raise DomainError(_("Please choose a kind from the list."), field="kind")
    if image is not None and not (image_alt or "").strip():
        raise DomainError(_("Please describe the image for people who cannot see it."), field="image_alt")
    if document is not None and kind != NewsKind.PUBLICATION:
        raise DomainError(
            _("Only publications can have a document. Choose the kind “Publication” or remove the document."),
            field="document",
        )


def _set_image(item: NewsItem, image) -> None:
    """``image`` is a ``daks.core.uploads.CheckedDocument`` (content checked and re-encoded without EXIF)."""
    if item.image:
        item.image.delete(save=False)
    item.image.save(f"{item.slug}-{image.filename}", image.as_file(), save=False)


def _set_document(item: NewsItem, document) -> None:
    """``document`` is a ``daks.core.uploads.CheckedDocument`` (PDF, ODT or DOCX, checked by content)."""
    if item.document:
        item.document.delete(save=False)
    item.document.save(f"{item.slug}-{document.filename}", document.as_file(), save=False)
    item.document_kind, item.document_size = document.kind, document.size


def _clear_document(item: NewsItem) -> None:
    if item.document:
        item.document.delete(save=False)
    item.document, item.document_kind, item.document_size = "", "", 0


def _require_editor(actor) -> None:
    if not actor.has_perm(EDITOR_PERM):
        raise DomainError(_("Only the editorial office of the network may do this."))


@transaction.atomic
def news_create(
    *,
    actor,
    title: str,
    teaser: str,
    body: str = "",
    kind: str = NewsKind.NEWS,
    image=None,
    image_alt: str = "",
    document=None,
    publish: bool = False,
    now: datetime | None = None,
) -> NewsItem:
    """A news item of the editorial office: a draft, or published at once with ``publish``. ``document``: a
    checked PDF/ODT/DOCX (publications only)."""
    _require_editor(actor)
    _check_texts(title=title, teaser=teaser, kind=kind, image=image, image_alt=image_alt, document=document)
    item = NewsItem(
        title=title.strip(),
        slug=_unique_slug(title),
        teaser=teaser.strip(),
        body=body or "",
        kind=kind,
        image_alt=(image_alt or "").strip() if image is not None else "",
        author=actor,
        status=NewsStatus.PUBLISHED if publish else NewsStatus.DRAFT,
        published_at=(now or timezone.now()) if publish else None,
    )
    if image is not None:
        _set_image(item, image)
    if document is not None:
        _set_document(item, document)
    item.save()
    log_action("news.item.created", actor=actor, obj=item, item=item.pk, status=item.status)
    return item


@transaction.atomic
def news_update(
    *,
    actor,
    item: NewsItem,
    expected_version: str,
    title: str,
    teaser: str,
    body: str = "",
    kind: str = NewsKind.NEWS,
    image=None,
    image_alt: str = "",
    remove_image: bool = False,
    document=None,
    remove_document: bool = False,
) -> NewsItem:
    """Edit a news item (editorial office); the address (slug) stays, so links and feeds keep working."""
    _require_editor(actor)
    current = NewsItem.objects.select_for_update().get(pk=item.pk)
    if expected_version != current.version:
        raise EditConflict(current)
    has_image = image is not None or (bool(current.image) and not remove_image)
    has_document = document is not None or (bool(current.document) and not remove_document)
    _check_texts(
        title=title,
        teaser=teaser,
        kind=kind,
        image=object() if has_image else None,
        image_alt=image_alt,
        document=object() if has_document else None,
    )
    current.title, current.teaser, current.body, current.kind = title.strip(), teaser.strip(), body or "", kind
    if image is not None:
        _set_image(current, image)
    elif remove_image and current.image:
        current.image.delete(save=False)
        current.image = ""
    current.image_alt = (image_alt or "").strip() if has_image else ""
    if document is not None:
        _set_document(current, document)
    elif remove_document:
        _clear_document(current)
    current.save()
    log_action("news.item.updated", actor=actor, municipality=current.municipality, obj=current, item=current.pk)
    return current


@transaction.atomic
def news_submit(
    *,
    actor,
    municipality,
    title: str,
    teaser: str,
    body: str = "",
    kind: str = NewsKind.NEWS,
    image=None,
    image_alt: str = "",
    document=None,
) -> NewsItem:
    """News of a Kommune, submitted by one of its members; published after moderation (with its document, which
    only the editorial office and the Kommune's members can open until then)."""
    if not actor.has_perm(MEMBER_PERM, municipality):
        raise DomainError(_("You may not submit news for this municipality."))
    _check_texts(title=title, teaser=teaser, kind=kind, image=image, image_alt=image_alt, document=document)
    item = NewsItem(
        title=title.strip(),
        slug=_unique_slug(title),
        teaser=teaser.strip(),
        body=body or "",
        kind=kind,
        image_alt=(image_alt or "").strip() if image is not None else "",
        author=actor,
        municipality=municipality,
        status=NewsStatus.SUBMITTED,
    )
    if image is not None:
        _set_image(item, image)
    if document is not None:
        _set_document(item, document)
    item.save()
    log_action("news.item.submitted", actor=actor, municipality=municipality, obj=item, item=item.pk)
    return item


def _notify_author(item: NewsItem, template: str) -> None:
    author = item.author
    if author is None or not author.email or not author.is_active or item.municipality_id is None:
        return
    context = {
        "item": item,
        "municipality": item.municipality,
        "item_url": f"{settings.DAKS_BASE_URL}{item.get_absolute_url()}",
        "submissions_url": settings.DAKS_BASE_URL
        + reverse("news:submissions", kwargs={"municipality_slug": item.municipality.slug}),
    }
    language = getattr(author, "language", "de") or "de"
    transaction.on_commit(
        lambda: send_templated_mail(f"news/email/{template}", context, [author.email], language=language)
    )


@transaction.atomic
def news_publish(*, actor, item: NewsItem, now: datetime | None = None) -> NewsItem:
    """Publish a draft or a submission (editorial office)."""
    _require_editor(actor)
    item = NewsItem.objects.select_for_update(of=("self",)).select_related("municipality", "author").get(pk=item.pk)
    if item.status == NewsStatus.PUBLISHED:
        raise DomainError(_("This news item is already published."))
    was_submitted = item.status == NewsStatus.SUBMITTED
    item.status = NewsStatus.PUBLISHED
    item.published_at = now or timezone.now()
    item.reviewed_by = actor
    item.review_note = ""
    item.save()
    log_action("news.item.published", actor=actor, municipality=item.municipality, obj=item, item=item.pk)
    if was_submitted:
        _notify_author(item, "submission_published")
    return item


@transaction.atomic
def news_reject(*, actor, item: NewsItem, note: str) -> NewsItem:
    """Reject a submission of a Kommune with a note for the submitter (editorial office)."""
    _require_editor(actor)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Please tell the municipality why the news item is rejected."), field="note")
    item = NewsItem.objects.select_for_update(of=("self",)).select_related("municipality", "author").get(pk=item.pk)
    if item.status != NewsStatus.SUBMITTED:
        raise DomainError(_("Only submitted news items can be rejected."))
    item.status = NewsStatus.REJECTED
    item.review_note = note[:2000]
    item.reviewed_by = actor
    item.save()
    log_action("news.item.rejected", actor=actor, municipality=item.municipality, obj=item, item=item.pk)
    _notify_author(item, "submission_rejected")
    return item


@transaction.atomic
def news_unpublish(*, actor, item: NewsItem) -> NewsItem:
    """Take a published item offline again (back to draft)."""
    _require_editor(actor)
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if item.status != NewsStatus.PUBLISHED:
        raise DomainError(_("This news item is not published."))
    item.status = NewsStatus.DRAFT
    item.save()
    log_action("news.item.unpublished", actor=actor, municipality=item.municipality, obj=item, item=item.pk)
    return item


# --- Newsletter: subscribers -------------------------------------------------------------------------------------


def unsubscribe_token(subscriber: Subscriber) -> str:
    digest = salted_hmac(
        "daks.news.unsubscribe", f"{subscriber.pk}:{subscriber.unsubscribe_nonce}", algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def unsubscribe_url(subscriber: Subscriber) -> str:
    return settings.DAKS_BASE_URL + reverse("newsletter:unsubscribe", kwargs={"token": unsubscribe_token(subscriber)})


def _renew_unsubscribe(subscriber: Subscriber) -> None:
    subscriber.unsubscribe_nonce = secrets.token_hex(16)
    subscriber.unsubscribe_hash = hash_token(unsubscribe_token(subscriber))


def _send_confirmation(subscriber: Subscriber, token: str) -> None:
    context = {
        "confirm_url": settings.DAKS_BASE_URL + reverse("newsletter:confirm", kwargs={"token": token}),
        "expires_at": subscriber.confirm_expires_at,
        "days": CONFIRM_DAYS,
    }
    email, language = subscriber.email, subscriber.language
    transaction.on_commit(
        lambda: send_templated_mail("news/email/newsletter_confirm", context, [email], language=language)
    )


@transaction.atomic
def subscriber_subscribe(
    *, email: str, consent: bool, address: str, language: str = "de", now: datetime | None = None
) -> None:
    """Ask for the newsletter: mail a confirmation link (double opt-in); nothing is sent before it is confirmed.

    Already confirmed addresses stay as they are (no mail, same answer); pending ones get a fresh link;
    unsubscribed ones start a new opt-in. Raises ``RateLimited`` (per address) and ``DomainError``.
    """
    now = now or timezone.now()
    if not consent:
        raise DomainError(_("Please agree to receive the newsletter."), field="consent")
    email = (email or "").strip().lower()
    if not email or "@" not in email or len(email) > 254:
        raise DomainError(_("Please enter a valid e-mail address."), field="email")
    rate_limit("newsletter_ip", address)
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is not None and subscriber.status == SubscriberStatus.CONFIRMED:
        return
    token = secrets.token_urlsafe(32)
    if subscriber is None:
        # The unsubscribe token is derived from the primary key: save first, then set its hash.
        subscriber = Subscriber.objects.create(
            email=email, consent_at=now, unsubscribe_nonce="", unsubscribe_hash="pending:" + secrets.token_hex(24)
        )
        action, renew = "news.subscriber.created", True
    elif subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        action, renew = "news.subscriber.resubscribed", True
    else:  # pending: a fresh link, the old one no longer works
        action, renew = "", False
    if renew:
        _renew_unsubscribe(subscriber)
    subscriber.status = SubscriberStatus.PENDING
    subscriber.language = (language or "de")[:10]
    subscriber.consent_at = now
    subscriber.confirm_token_hash = hash_token(token)
    subscriber.confirm_expires_at = now + timedelta(days=CONFIRM_DAYS)
    subscriber.confirmed_at = None
    subscriber.unsubscribed_at = None
    subscriber.save()
    if action:
        log_action(action, subscriber=subscriber.pk)
    _send_confirmation(subscriber, token)


def _by_confirm_token(token: str) -> Subscriber | None:
    if not token or len(token) > 100:
        return None
    return Subscriber.objects.select_for_update().filter(confirm_token_hash=hash_token(token)).first()


def subscriber_for_confirm_token(token: str, *, now: datetime | None = None) -> Subscriber:
    """The pending subscriber of a confirmation link; ``TokenInvalid``/``TokenExpired`` otherwise (read only)."""
    subscriber = None
    if token and len(token) <= 100:
        subscriber = Subscriber.objects.filter(confirm_token_hash=hash_token(token)).first()
    if subscriber is None or subscriber.status != SubscriberStatus.PENDING:
        raise TokenInvalid(_("This confirmation link is not valid. It may have been used already."))
    if subscriber.confirm_expires_at is None or subscriber.confirm_expires_at <= (now or timezone.now()):
        raise TokenExpired(_("This confirmation link has expired. Please subscribe again."))
    return subscriber


@transaction.atomic
def subscriber_confirm(*, token: str, now: datetime | None = None) -> Subscriber:
    """Confirm a subscription with the token of the mail (the second step of the double opt-in)."""
    now = now or timezone.now()
    subscriber_for_confirm_token(token, now=now)
    subscriber = _by_confirm_token(token)
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = now
    subscriber.confirm_token_hash = ""
    subscriber.confirm_expires_at = None
    subscriber.save()
    log_action("news.subscriber.confirmed", subscriber=subscriber.pk)
    return subscriber


def subscriber_for_unsubscribe_token(token: str) -> Subscriber:
    subscriber = None
    if token and len(token) <= 100:
        subscriber = Subscriber.objects.filter(unsubscribe_hash=hash_token(token)).first()
    if subscriber is None:
        raise TokenInvalid(_("This unsubscribe link is not valid."))
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, token: str, now: datetime | None = None) -> Subscriber:
    """Unsubscribe with the personal link of an issue mail (idempotent: a second click changes nothing)."""
    subscriber = subscriber_for_unsubscribe_token(token)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = now or timezone.now()
        subscriber.confirm_token_hash = ""
        subscriber.confirm_expires_at = None
        subscriber.save()
        log_action("news.subscriber.unsubscribed", subscriber=subscriber.pk)
    return subscriber


@transaction.atomic
def subscribers_purge_expired(*, now: datetime | None = None) -> int:
    """Delete pending subscriptions whose confirmation link expired (data minimisation); returns their number."""
    now = now or timezone.now()
    deleted, _rows = Subscriber.objects.filter(
        status=SubscriberStatus.PENDING, confirm_expires_at__lt=now, deliveries__isnull=True
    ).delete()
    return deleted


# --- Newsletter: issues -----------------------------------------------------------------------------------------


def _check_issue(subject: str, body: str) -> None:
    if not (subject or "").strip():
        raise DomainError(_("Please enter a subject."), field="subject")
    if not (body or "").strip():
        raise DomainError(_("Please write the text of the newsletter."), field="body")


def _published(news_items) -> list[NewsItem]:
    items = list(news_items or [])
    if any(item.status != NewsStatus.PUBLISHED for item in items):
        raise DomainError(_("Only published news can be part of a newsletter."), field="news_items")
    return items


@transaction.atomic
def issue_create(*, actor, subject: str, body: str, news_items=()) -> NewsletterIssue:
    _require_editor(actor)
    _check_issue(subject, body)
    items = _published(news_items)
    issue = NewsletterIssue.objects.create(subject=subject.strip(), body=body, created_by=actor)
    issue.news_items.set(items)
    log_action("news.issue.created", actor=actor, obj=issue, issue=issue.pk)
    return issue


@transaction.atomic
def issue_update(
    *, actor, issue: NewsletterIssue, expected_version: str, subject: str, body: str, news_items=()
) -> NewsletterIssue:
    _require_editor(actor)
    current = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if current.status != IssueStatus.DRAFT:
        raise DomainError(_("This issue has already been sent and cannot be changed any more."))
    if expected_version != current.version:
        raise EditConflict(current)
    _check_issue(subject, body)
    items = _published(news_items)
    current.subject, current.body = subject.strip(), body
    current.save()
    current.news_items.set(items)
    log_action("news.issue.updated", actor=actor, obj=current, issue=current.pk)
    return current


def _enqueue(issue_pk: int) -> None:
    from .tasks import send_issue_batch_task

    transaction.on_commit(lambda: send_issue_batch_task.enqueue(issue_pk))


@transaction.atomic
def issue_send_start(*, actor, issue: NewsletterIssue, now: datetime | None = None) -> NewsletterIssue:
    """Freeze the recipients (all confirmed subscribers now) and queue the sending; a draft can be sent once."""
    _require_editor(actor)
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != IssueStatus.DRAFT:
        raise DomainError(_("This issue has already been sent."))
    recipients = list(Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).values_list("pk", flat=True))
    if not recipients:
        raise DomainError(_("There are no confirmed subscribers yet."))
    Delivery.objects.bulk_create(
        [Delivery(issue=issue, subscriber_id=pk) for pk in recipients], ignore_conflicts=True, batch_size=500
    )
    issue.status = IssueStatus.SENDING
    issue.recipient_count = len(recipients)
    issue.sent_count = 0
    issue.started_at = now or timezone.now()
    issue.save()
    log_action("news.issue.sending", actor=actor, obj=issue, issue=issue.pk, recipients=len(recipients))
    _enqueue(issue.pk)
    return issue


@transaction.atomic
def issue_send_resume(*, actor, issue: NewsletterIssue) -> NewsletterIssue:
    """Queue the sending again (after a worker failure); deliveries already made are never repeated."""
    _require_editor(actor)
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != IssueStatus.SENDING:
        raise DomainError(_("This issue is not being sent."))
    if not issue.deliveries.filter(status=DeliveryStatus.PENDING).exists():
        raise DomainError(_("All mails of this issue have been handed over already."))
    log_action("news.issue.resumed", actor=actor, obj=issue, issue=issue.pk)
    _enqueue(issue.pk)
    return issue
