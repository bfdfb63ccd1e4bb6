import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from daks.comments.models import Comment
from daks.comments.registry import get_commentable
from daks.core.models import AuditLogEntry
from daks.meetings import services as meeting_services
from daks.strategy import task_services

from . import factories

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "contributor", "advisor", "reader", "outsider", "anonymous"]
READ = {"coordinator": 200, "contributor": 200, "advisor": 200, "reader": 200, "outsider": 404, "anonymous": 404}
WRITE = {"coordinator": 302, "contributor": 302, "advisor": 302, "reader": 403, "outsider": 404, "anonymous": 404}


def _client(request, client, login, role):
    if role == "anonymous":
        return client
    return login(request.getfixturevalue(role))


@pytest.mark.parametrize("role", ROLES)
def test_thread_page_read_permission(request, client, login, role, swot, thread_url):
    factories.comment(swot, author=request.getfixturevalue("coordinator"), body="Stimmt, siehe Interview")
    response = _client(request, client, login, role).get(thread_url(swot))
    assert response.status_code == READ[role]
    if READ[role] == 200:
        content = response.content.decode()
        assert "Stimmt, siehe Interview" in content
        assert ('name="body"' in content) == (role != "reader")


@pytest.mark.parametrize("role", ROLES)
def test_post_comment_permission(request, client, login, role, swot, thread_url):
    response = _client(request, client, login, role).post(thread_url(swot, "create"), {"body": "Guter Punkt"})
    assert response.status_code == WRITE[role]
    assert Comment.objects.filter(body="Guter Punkt").exists() == (WRITE[role] == 302)


def test_post_redirects_back_to_next_without_js(login, contributor, process):
    client = login(contributor)
    overview = reverse("strategy:overview", args=[process.municipality.slug, process.pk])
    url = reverse("comments:create", args=[process.municipality.slug, "strategy.strategyprocess", process.pk])
    response = client.post(url, {"body": "Wann ist das nächste Treffen?", "next": overview})
    assert response.status_code == 302
    assert response["Location"] == f"{overview}#comments-strategy-strategyprocess-{process.pk}"
    page = client.get(overview).content.decode()
    assert "Wann ist das nächste Treffen?" in page


def test_post_ignores_foreign_next(login, contributor, swot, thread_url):
    response = login(contributor).post(thread_url(swot, "create"), {"body": "Hm", "next": "https://evil.example/"})
    assert response["Location"].startswith(thread_url(swot))


def test_post_with_htmx_returns_the_thread(login, contributor, swot, thread_url):
    response = login(contributor).post(thread_url(swot, "create"), {"body": "Per htmx"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Per htmx" in content
    assert f'id="comments-profile-swotitem-{swot.pk}"' in content


@pytest.mark.parametrize(("body", "message"), [("   ", "Please write a comment."), ("x" * 5001, "at most 5000")])
def test_bad_input_is_refused(login, contributor, swot, thread_url, body, message):
    response = login(contributor).post(thread_url(swot, "create"), {"body": body}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert 'aria-invalid="true"' in content
    assert not Comment.objects.exists()


def test_bad_input_with_htmx_keeps_the_text(login, contributor, swot, thread_url):
    response = login(contributor).post(
        thread_url(swot, "create"), {"body": " "}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Please write a comment." in response.content.decode()
    assert not Comment.objects.exists()


def test_body_is_escaped_and_keeps_line_breaks(login, contributor, swot, thread_url):
    factories.comment(swot, author=contributor, body="<script>alert(1)</script>\nzweite Zeile\n\nneuer Absatz")
    content = login(contributor).get(thread_url(swot)).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>zweite Zeile</p>" in content
    assert "<p>neuer Absatz</p>" in content


# --- Tenancy: forged objects and content types -------------------------------------------------


def test_object_of_another_municipality_is_404(login, contributor, other_process):
    foreign = factories.swot_item(other_process)
    client = login(contributor)
    for name in ("thread", "create"):
        url = reverse(f"comments:{name}", args=["musterstadt", "profile.swotitem", foreign.pk])
        response = client.post(url, {"body": "x"}) if name == "create" else client.get(url)
        assert response.status_code == 404
    assert not Comment.objects.exists()


def test_outsider_cannot_comment_through_own_municipality(login, outsider, swot):
    url = reverse("comments:create", args=["anderdorf", "profile.swotitem", swot.pk])
    assert login(outsider).post(url, {"body": "x"}).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("model", ["accounts.user", "municipalities.membership", "core.auditlogentry", "nonsense"])
def test_unregistered_models_are_404(login, coordinator, model):
    url = reverse("comments:create", args=["musterstadt", model, coordinator.pk])
    assert login(coordinator).post(url, {"body": "x"}).status_code == 404
    assert login(coordinator).get(reverse("comments:thread", args=["musterstadt", model, 1])).status_code == 404


def test_deleting_a_comment_of_another_municipality_is_404(login, outsider, swot, coordinator):
    comment = factories.comment(swot, author=coordinator)
    assert login(outsider).post(reverse("comments:delete", args=["anderdorf", comment.pk])).status_code == 404
    comment.refresh_from_db()
    assert not comment.is_deleted


# --- Deleting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("author", 302), ("coordinator", 302), ("contributor", 403), ("advisor", 403), ("reader", 403)],
)
def test_delete_permissions(request, login, municipality, swot, role, expected):
    author = factories.member(municipality, name="Anna Autorin")
    comment = factories.comment(swot, author=author, body="Geheim")
    user = author if role == "author" else request.getfixturevalue(role)
    response = login(user).post(reverse("comments:delete", args=["musterstadt", comment.pk]))
    assert response.status_code == expected
    comment.refresh_from_db()
    assert comment.is_deleted == (expected == 302)


def test_deleted_comment_shows_placeholder_and_loses_its_text(login, contributor, swot, thread_url):
    comment = factories.comment(swot, author=contributor, body="Peinlicher Tippfehler")
    client = login(contributor)
    response = client.post(
        reverse("comments:delete", args=["musterstadt", comment.pk]), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )
    content = response.content.decode()
    assert "Comment deleted" in content
    assert "Peinlicher Tippfehler" not in content
    comment.refresh_from_db()
    assert comment.body == "" and comment.deleted_by == contributor
    entry = AuditLogEntry.objects.get(action="comments.comment.deleted")
    assert entry.data["process"] == swot.process_id
    # deleting twice changes nothing
    assert client.post(reverse("comments:delete", args=["musterstadt", comment.pk])).status_code == 302


def test_reader_who_wrote_a_comment_may_delete_it(login, municipality, swot):
    from daks.municipalities.models import Role

    former_editor = factories.member(municipality, role=Role.READER)
    comment = factories.comment(swot, author=former_editor)
    assert login(former_editor).post(reverse("comments:delete", args=["musterstadt", comment.pk])).status_code == 302


# --- Embedding and audit -----------------------------------------------------------------------


def test_thread_embedded_on_process_meeting_and_task(login, coordinator, reader, municipality, process):
    starts = timezone.now() + datetime.timedelta(days=3)
    meeting = meeting_services.meeting_create(
        actor=coordinator,
        municipality=municipality,
        title="Steuerungsgruppe",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        process=process,
    )
    task = task_services.task_create(actor=coordinator, municipality=municipality, title="Flyer", process=process)
    pages = [
        (process, reverse("strategy:overview", args=["musterstadt", process.pk])),
        (meeting, reverse("meetings:detail", args=["musterstadt", meeting.pk])),
        (task, reverse("strategy:task_edit", args=["musterstadt", task.pk])),
    ]
    for obj, page in pages:
        factories.comment(obj, author=coordinator, body=f"Zu {obj}")
        for user in (coordinator, reader):  # the reader sees the read-only task page
            content = login(user).get(page).content.decode()
            assert f'id="comments-{obj._meta.app_label}-{obj._meta.model_name}-{obj.pk}"' in content
            assert f"Zu {obj}" in content
            assert ('name="body"' in content) == (user == coordinator)


def test_standalone_pages_of_swot_and_field_link_back(login, contributor, process, swot, thread_url):
    field = factories.field_of_action(process)
    for obj, back in (
        (swot, reverse("profile:swot", args=["musterstadt", process.pk, "kommunalprofil"]) + "#quadrant-strength"),
        (field, reverse("profile:fields", args=["musterstadt", process.pk, "kommunalprofil"])),
    ):
        content = login(contributor).get(thread_url(obj)).content.decode()
        assert f'href="{back}"' in content
        assert get_commentable(obj).thread_url(obj) == thread_url(obj)


def test_comment_audit_entry_carries_the_process(login, contributor, swot, thread_url):
    login(contributor).post(thread_url(swot, "create"), {"body": "Quelle?"})
    entry = AuditLogEntry.objects.get(action="comments.comment.created")
    assert entry.data["process"] == swot.process_id
    assert entry.data["model"] == "profile.swotitem"
    assert entry.municipality_id == swot.municipality_id


def test_comment_on_task_without_process_has_no_process(login, coordinator, municipality):
    task = task_services.task_create(actor=coordinator, municipality=municipality, title="Ohne Prozess")
    url = reverse("comments:create", args=["musterstadt", "strategy.task", task.pk])
    login(coordinator).post(url, {"body": "ok"})
    assert "process" not in AuditLogEntry.objects.get(action="comments.comment.created").data


# --- Queries -----------------------------------------------------------------------------------


def test_thread_query_count_is_constant(login, contributor, municipality, swot, thread_url, django_assert_num_queries):
    client = login(contributor)
    factories.comment(swot, author=contributor)
    client.get(thread_url(swot))  # warm the content type cache
    # Kommune, session, user, membership (2×), object, team handles, comments, unread notifications
    with django_assert_num_queries(9) as few:
        client.get(thread_url(swot))
    for number in range(8):
        factories.comment(swot, author=factories.member(municipality), body=f"Kommentar {number} @niemand")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(thread_url(swot))


def test_thread_tag_query_count(rf, contributor, municipality, process, django_assert_num_queries):
    from django.template import Context, Template

    from daks.municipalities.rules import membership_of

    request = rf.get("/")
    request.user = contributor
    request.municipality = municipality
    membership_of(contributor, municipality)
    template = Template("{% load comments_tags %}{% comment_thread obj %}")
    template.render(Context({"obj": process, "request": request}))
    for number in range(5):
        factories.comment(process, author=contributor, body=f"Nr. {number}")
    with django_assert_num_queries(2):  # comments with authors, the team's handles
        html = template.render(Context({"obj": process, "request": request}))
    assert "Nr. 4" in html


def test_comments_and_notifications_go_with_the_object(municipality, contributor, process, swot):
    from daks.comments import services
    from daks.comments.models import Notification

    anna = factories.member(municipality, name="Anna Schmidt")
    services.comment_create(actor=contributor, municipality=municipality, obj=swot, body="@anna.schmidt ?")
    kept = services.comment_create(actor=contributor, municipality=municipality, obj=process, body="bleibt")
    swot.delete()
    assert list(Comment.objects.all()) == [kept]
    assert not Notification.objects.filter(recipient=anna).exists()


def test_demo_comments(municipality, coordinator, contributor, process):
    from daks.comments.demo import seed_demo_comments

    comments = seed_demo_comments(municipality=municipality, process=process, author=coordinator, other=contributor)
    assert [comment.author for comment in comments] == [coordinator, contributor]
    assert list(comments[0].mentioned.all()) == [contributor]
    assert seed_demo_comments(municipality=municipality, process=process, author=coordinator, other=contributor) == []
