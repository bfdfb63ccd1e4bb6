"""Demo of news and newsletter: published news (one of Beispielstadt), one submission awaiting moderation,
subscribers (two confirmed, one pending) and one sent newsletter issue in the archive. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from . import services
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

EXAMPLE = "(Beispieldaten)"

EDITORIAL_NEWS = [
    (
        f"Netzwerktreffen Süd: Rückblick {EXAMPLE}",
        "Zwölf Kommunen haben sich in der Region Süd über ihre Demografiestrategien ausgetauscht.",
        "## Was besprochen wurde\n\nDie Kommunen stellten ihre Werkstattpläne vor und verglichen Maßnahmen zu "
        "**Pflege**, **Wohnen im Alter** und **Fachkräftesicherung**.\n\n- Synopse der Kennzahlen\n"
        "- Erfahrungen aus den Zukunftswerkstätten\n- Verabredungen für das nächste Treffen",
        NewsKind.NEWS,
        21,
    ),
    (
        f"Neue Arbeitshilfe: Bevölkerungsvorausberechnung lesen {EXAMPLE}",
        "Die Arbeitshilfe erklärt Schritt für Schritt, wie Kommunen die Vorausberechnung in DAKS deuten.",
        "## Inhalt\n\n1. Annahmen der Vorausberechnung\n2. Altersaufbau und Abhängigkeitsquotienten\n"
        "3. Was die Zahlen für Kita, Schule und Pflege bedeuten",
        NewsKind.PUBLICATION,
        14,
    ),
    (
        f"Online-Seminar zur Bürgerbeteiligung {EXAMPLE}",
        "Wie gelingt eine Zukunftswerkstatt mit vielen Beteiligten? Ein Online-Seminar gibt Antworten.",
        "Das Seminar richtet sich an Koordinatorinnen und Koordinatoren der Strategieprozesse. "
        "Die Folien stehen anschließend im Werkzeugkoffer bereit.",
        NewsKind.NEWS,
        7,
    ),
]


def _news(*, staff, title, teaser, body, kind, days_ago, now):
    item = NewsItem.objects.filter(title=title).first()
    if item is None:
        item = services.news_create(actor=staff, title=title, teaser=teaser, body=body, kind=kind)
    if item.status != NewsStatus.PUBLISHED:
        item = services.news_publish(actor=staff, item=item, now=now - timedelta(days=days_ago))
    return item


def seed_news_demo(*, town, district, staff, coordinator) -> None:
    now = timezone.now()
    published = [
        _news(staff=staff, title=title, teaser=teaser, body=body, kind=kind, days_ago=days, now=now)
        for title, teaser, body, kind, days in EDITORIAL_NEWS
    ]

    # News of Beispielstadt, submitted by its coordination and published by the editorial office.
    title = f"Beispielstadt eröffnet Generationentreff {EXAMPLE}"
    item = NewsItem.objects.filter(title=title, municipality=town).first()
    if item is None:
        item = services.news_submit(
            actor=coordinator,
            municipality=town,
            title=title,
            teaser="Im alten Bahnhof ist ein Treffpunkt für Jung und Alt entstanden – "
            "eine Maßnahme des Werkstattplans.",
            body="## Der Treffpunkt\n\nOffen an fünf Tagen in der Woche, getragen von Vereinen und Ehrenamtlichen.\n\n"
            "## Wie es dazu kam\n\nDie Idee stammt aus der Zukunftswerkstatt von Beispielstadt.",
        )
    if item.status != NewsStatus.PUBLISHED:
        item = services.news_publish(actor=staff, item=item, now=now - timedelta(days=3))
    published.append(item)

    # A submission awaiting moderation.
    title = f"Seniorenbeirat gegründet {EXAMPLE}"
    if not NewsItem.objects.filter(title=title, municipality=town).exists():
        services.news_submit(
            actor=coordinator,
            municipality=town,
            title=title,
            teaser="Beispielstadt hat einen Seniorenbeirat – er berät den Stadtrat bei allen Fragen des Älterwerdens.",
            body="Der Beirat hat neun Mitglieder und tagt viermal im Jahr öffentlich.",
        )

    # Subscribers: two confirmed, one pending (addresses of the reserved example domain).
    confirmed, pending = SubscriberStatus.CONFIRMED, SubscriberStatus.PENDING
    for number, status in ((1, confirmed), (2, confirmed), (3, pending)):
        email = f"newsletter-leser{number}@example.org"
        if Subscriber.objects.filter(email=email).exists():
            continue
        subscriber = Subscriber.objects.create(
            email=email,
            status=status,
            consent_at=now - timedelta(days=30),
            confirmed_at=now - timedelta(days=30) if status == SubscriberStatus.CONFIRMED else None,
            confirm_token_hash="" if status == SubscriberStatus.CONFIRMED else "demo-" + "0" * 59,
            confirm_expires_at=None if status == SubscriberStatus.CONFIRMED else now + timedelta(days=7),
            unsubscribe_nonce="",
            unsubscribe_hash=f"pending:demo-{number}",
        )
        services._renew_unsubscribe(subscriber)
        subscriber.save(update_fields=["unsubscribe_nonce", "unsubscribe_hash"])

    # One sent issue in the archive (marked as sent directly: seeding sends no mails).
    subject = f"Newsletter des DAKS-Netzwerks – Ausgabe 1 {EXAMPLE}"
    if not NewsletterIssue.objects.filter(subject=subject).exists():
        issue = services.issue_create(
            actor=staff,
            subject=subject,
            body="Liebe Leserinnen und Leser,\n\nin dieser Ausgabe berichten wir vom **Netzwerktreffen Süd**, "
            "stellen eine neue Arbeitshilfe vor und laden zum Online-Seminar ein.\n\nIhre Netzwerk-Redaktion",
            news_items=published[:3],
        )
        recipients = list(Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED))
        sent_at = now - timedelta(days=2)
        Delivery.objects.bulk_create(
            [Delivery(issue=issue, subscriber=s, status=DeliveryStatus.SENT, sent_at=sent_at) for s in recipients]
        )
        NewsletterIssue.objects.filter(pk=issue.pk).update(
            status=IssueStatus.SENT,
            recipient_count=len(recipients),
            sent_count=len(recipients),
            started_at=sent_at,
            sent_at=sent_at,
        )
