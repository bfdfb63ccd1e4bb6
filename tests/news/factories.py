import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from daks.network.rules import NETWORK_EDITOR_GROUP
from daks.news.models import NewsItem, NewsKind, NewsletterIssue, NewsStatus, Subscriber, SubscriberStatus
from daks.news.services import _renew_unsubscribe, unsubscribe_token


def make_network_editor(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get_or_create(name=NETWORK_EDITOR_GROUP)[0])
    user.__dict__.pop("_daks_groups", None)
    return user


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    title = factory.Sequence(lambda n: f"Meldung {n}")
    slug = factory.Sequence(lambda n: f"meldung-{n}")
    teaser = "Ein kurzer Anreißer."
    body = "## Abschnitt\n\nText mit **Betonung**."
    kind = NewsKind.NEWS
    status = NewsStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber with a working unsubscribe token (``unsubscribe_token(subscriber)``)."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"leser{n}@example.org")
    status = SubscriberStatus.CONFIRMED
    consent_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    unsubscribe_nonce = ""
    unsubscribe_hash = factory.Sequence(lambda n: f"pending:{n}")

    @factory.post_generation
    def token(obj, create, extracted, **kwargs):
        _renew_unsubscribe(obj)
        obj.save()


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterIssue

    subject = factory.Sequence(lambda n: f"Ausgabe {n}")
    body = "Liebe Leserinnen und Leser,\n\n**Neuigkeiten** aus dem Netzwerk."


__all__ = ["IssueFactory", "NewsItemFactory", "SubscriberFactory", "make_network_editor", "unsubscribe_token"]
