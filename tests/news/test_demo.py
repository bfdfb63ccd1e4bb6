import pytest
from django.core import mail
from django.urls import reverse

from daks.news.demo import seed_news_demo
from daks.news.models import IssueStatus, NewsItem, NewsletterIssue, NewsStatus, Subscriber, SubscriberStatus

pytestmark = pytest.mark.django_db


def test_seed_news_demo_is_idempotent_and_labelled(client, municipality, other_municipality, staff_user, coordinator):
    for _ in range(2):
        seed_news_demo(town=municipality, district=other_municipality, staff=staff_user, coordinator=coordinator)
    published = NewsItem.objects.filter(status=NewsStatus.PUBLISHED)
    assert published.count() == 4 and published.filter(municipality=municipality).count() == 1
    assert NewsItem.objects.filter(status=NewsStatus.SUBMITTED, municipality=municipality).count() == 1
    assert all("(Beispieldaten)" in item.title for item in NewsItem.objects.all())
    counts = {status: Subscriber.objects.filter(status=status).count() for status in SubscriberStatus.values}
    assert counts == {"confirmed": 2, "pending": 1, "unsubscribed": 0}
    issue = NewsletterIssue.objects.get()
    assert issue.status == IssueStatus.SENT and (issue.sent_count, issue.recipient_count) == (2, 2)
    assert "(Beispieldaten)" in issue.subject
    assert mail.outbox == []  # seeding sends no newsletter
    assert client.get(reverse("newsletter:archive_detail", kwargs={"pk": issue.pk})).status_code == 200
    assert client.get(reverse("news:list")).status_code == 200
