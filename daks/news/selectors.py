"""Reads of news and newsletter (no N+1: the municipality is joined, counts are aggregated)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import IssueStatus, NewsItem, NewsKind, NewsletterIssue, NewsStatus, Subscriber, SubscriberStatus

FEED_SIZE = 20


def published_news(kind: str | None = None, *, municipality_slug: str | None = None) -> QuerySet[NewsItem]:
    """Published news (newest first), optionally of one ``kind`` or one Kommune; list pages and feeds read this."""
    queryset = NewsItem.objects.filter(status=NewsStatus.PUBLISHED).select_related("municipality")
    if kind in NewsKind.values:
        queryset = queryset.filter(kind=kind)
    if municipality_slug:
        queryset = queryset.filter(municipality__slug=municipality_slug)
    return queryset.order_by("-published_at", "-id")


def news_detail(slug: str) -> NewsItem:
    """A published news item by its address (``NewsItem.DoesNotExist`` otherwise)."""
    return published_news().get(slug=slug)


def news_document(slug: str, user) -> NewsItem:
    """The news item of a downloadable document: published, or — before publication — for the editorial office
    and the members of the submitting Kommune (``NewsItem.DoesNotExist`` otherwise)."""
    from .services import EDITOR_PERM, MEMBER_PERM

    item = NewsItem.objects.select_related("municipality").exclude(document="").get(slug=slug)
    if item.status == NewsStatus.PUBLISHED:
        return item
    if user.is_authenticated and (
        user.has_perm(EDITOR_PERM) or (item.municipality_id and user.has_perm(MEMBER_PERM, item.municipality))
    ):
        return item
    raise NewsItem.DoesNotExist


def news_of_municipality(municipality, limit: int = 5) -> list[NewsItem]:
    """The latest published news of a Kommune (for its portrait)."""
    return list(published_news().filter(municipality=municipality)[:limit])


def feed_items(limit: int = FEED_SIZE) -> list[NewsItem]:
    return list(published_news()[:limit])


def editorial_news(status: str | None = None) -> QuerySet[NewsItem]:
    queryset = NewsItem.objects.select_related("municipality", "author").defer("body")
    if status in NewsStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-updated_at", "-id")


def moderation_queue() -> QuerySet[NewsItem]:
    return (
        NewsItem.objects.filter(status=NewsStatus.SUBMITTED)
        .select_related("municipality", "author")
        .defer("body")
        .order_by("created_at", "id")
    )


def status_counts() -> dict[str, int]:
    rows = NewsItem.objects.values("status").annotate(count=Count("id")).order_by()
    return {row["status"]: row["count"] for row in rows}


def submissions_of(municipality) -> QuerySet[NewsItem]:
    """What a Kommune has submitted (all states), newest first."""
    return (
        NewsItem.objects.filter(municipality=municipality)
        .select_related("author")
        .defer("body")
        .order_by("-created_at", "-id")
    )


def recent_news_choices(limit: int = 30, *, include=()) -> QuerySet[NewsItem]:
    """Published news the editorial office can put into a newsletter issue (the latest ``limit`` plus ``include``)."""
    ids = list(published_news().values_list("pk", flat=True)[:limit]) + [item.pk for item in include]
    return published_news().filter(pk__in=ids)


def archive_issues() -> QuerySet[NewsletterIssue]:
    return NewsletterIssue.objects.filter(status=IssueStatus.SENT).defer("body").order_by("-sent_at", "-id")


def archive_issue(pk: int) -> NewsletterIssue:
    return NewsletterIssue.objects.filter(status=IssueStatus.SENT).prefetch_related("news_items").get(pk=pk)


def editorial_issues() -> QuerySet[NewsletterIssue]:
    return NewsletterIssue.objects.defer("body").order_by("-created_at", "-id")


def subscriber_counts() -> dict[str, int]:
    return Subscriber.objects.aggregate(
        **{status: Count("id", filter=Q(status=status)) for status in SubscriberStatus.values}
    )
