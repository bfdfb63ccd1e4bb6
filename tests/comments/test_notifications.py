import pytest
from django.urls import reverse

from daks.comments.context_processors import notifications as notifications_context
from daks.comments.models import Notification

from . import factories

pytestmark = pytest.mark.django_db

LIST = "/benachrichtigungen/"


def test_list_requires_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302


def test_list_shows_only_own_notifications_newest_first(login, contributor, coordinator, municipality):
    factories.notification(contributor, municipality, actor=coordinator, target_label="Älter")
    factories.notification(contributor, municipality, actor=coordinator, target_label="Neuer")
    factories.notification(coordinator, municipality, target_label="Fremd")
    response = login(contributor).get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert [n.target_label for n in response.context["notifications"]] == ["Neuer", "Älter"]
    assert "Fremd" not in content
    assert f"{coordinator.name} mentioned you in a comment on “Neuer”" in content


def test_list_is_paginated(login, contributor, municipality):
    Notification.objects.bulk_create(
        [
            Notification(recipient=contributor, municipality=municipality, kind="mention", target_label=f"N{n}")
            for n in range(30)
        ]
    )
    client = login(contributor)
    first = client.get(LIST)
    assert len(first.context["notifications"]) == 25
    assert 'href="?seite=2"' in first.content.decode()
    assert len(client.get(LIST + "?seite=2").context["notifications"]) == 5


def test_list_query_count(login, contributor, coordinator, municipality, django_assert_num_queries):
    client = login(contributor)
    factories.notification(contributor, municipality, actor=coordinator)
    with django_assert_num_queries(5) as few:  # session, user, page (count + rows), unread badge
        client.get(LIST)
    for _number in range(10):
        factories.notification(contributor, municipality, actor=factories.member(municipality))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(LIST)


def test_mark_one_read(login, contributor, municipality):
    notification = factories.notification(contributor, municipality)
    response = login(contributor).post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.is_read


def test_cannot_touch_notifications_of_others(login, contributor, coordinator, municipality):
    notification = factories.notification(coordinator, municipality)
    client = login(contributor)
    assert client.post(reverse("notifications:mark_read", args=[notification.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_all_read_only_own(login, contributor, coordinator, municipality):
    mine = [factories.notification(contributor, municipality) for _ in range(3)]
    other = factories.notification(coordinator, municipality)
    assert login(contributor).post(reverse("notifications:mark_all_read")).status_code == 302
    assert all(Notification.objects.get(pk=n.pk).is_read for n in mine)
    assert not Notification.objects.get(pk=other.pk).is_read


def test_open_marks_read_and_redirects_to_local_target(login, contributor, municipality):
    notification = factories.notification(contributor, municipality, url="/kommunen/musterstadt/#comments-x")
    response = login(contributor).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/kommunen/musterstadt/#comments-x"
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_open_refuses_foreign_targets(login, contributor, municipality, target):
    notification = factories.notification(contributor, municipality, url=target)
    response = login(contributor).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == LIST


def test_unread_badge_in_header(login, contributor, municipality):
    client = login(contributor)
    assert "badge--warning" not in client.get(reverse("core:dashboard")).content.decode()
    factories.notification(contributor, municipality)
    factories.notification(contributor, municipality)
    read = factories.notification(contributor, municipality)
    Notification.objects.filter(pk=read.pk).update(read_at="2026-01-01T00:00:00Z")
    content = client.get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="badge badge--warning">2<span class="visually-hidden"> unread</span></span>' in content


def test_context_processor_only_for_signed_in_users(rf, contributor, municipality, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert notifications_context(request) == {}
    request.user = contributor
    factories.notification(contributor, municipality)
    with django_assert_num_queries(1):
        count = notifications_context(request)["unread_notifications"]
        assert count() == 1
        assert count() == 1  # cached for the rest of the request
