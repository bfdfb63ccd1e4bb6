"""The editorial office of the network: news (write, publish, moderate) and newsletter issues (compose, preview,
send); every role, bad input, images, edit conflicts."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from daks.news.models import IssueStatus, NewsItem, NewsletterIssue, NewsStatus

from .factories import IssueFactory, NewsItemFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def german(message: str) -> str:
    with translation.override("de"):
        return gettext(message)


def _png(exif: bool = False) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), "#0b5a7a")
    if exif:
        data = Image.Exif()
        data[0x010F] = "Kamera mit GPS"
        image.save(buffer, format="JPEG", exif=data)
        return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("bild.png", buffer.getvalue(), content_type="image/png")


EDITORIAL_PAGES = [
    ("news:editorial_index", {}),
    ("news:editorial_create", {}),
    ("newsletter:editorial_index", {}),
    ("newsletter:editorial_create", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), EDITORIAL_PAGES)
def test_editorial_pages_need_the_network_editor(client, login, user, contributor, editor, staff_user, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    for person in (user, contributor):
        assert login(person).get(url).status_code == 403
    for person in (editor, staff_user):
        response = login(person).get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_editor_writes_and_publishes_a_news_item_with_an_image(login, editor, client):
    response = login(editor).post(
        reverse("news:editorial_create"),
        {
            "title": "Neue Arbeitshilfe erschienen",
            "teaser": "Eine Arbeitshilfe für Kommunen.",
            "body": "## Inhalt",
            "kind": "publication",
            "image": _png(exif=True),
            "image_alt": "Titelseite der Arbeitshilfe",
            "publish": "on",
        },
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302 and response.url == reverse("news:editorial_edit", kwargs={"pk": item.pk})
    assert item.status == NewsStatus.PUBLISHED and item.published_at and item.author == editor
    assert item.slug == "neue-arbeitshilfe-erschienen" and item.kind == "publication"
    assert item.image.name.endswith(".jpg")
    with Image.open(item.image.path) as stored:
        assert not stored.getexif()  # re-encoded: no EXIF
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'property="og:image"' in page and 'alt="Titelseite der Arbeitshilfe"' in page


def test_a_draft_is_not_public_until_published(login, editor, client):
    login(editor).post(
        reverse("news:editorial_create"), {"title": "Entwurf", "teaser": "Noch nicht fertig.", "kind": "news"}
    )
    item = NewsItem.objects.get()
    assert item.status == NewsStatus.DRAFT
    client.logout()
    assert client.get(item.get_absolute_url()).status_code == 404
    login(editor).post(reverse("news:editorial_publish", kwargs={"pk": item.pk}))
    client.logout()
    assert client.get(item.get_absolute_url()).status_code == 200
    login(editor).post(reverse("news:editorial_unpublish", kwargs={"pk": item.pk}))
    client.logout()
    assert client.get(item.get_absolute_url()).status_code == 404


FAKE_PNG = "fake"


@pytest.mark.parametrize(
    ("data", "image", "message"),
    [
        ({"title": "", "teaser": "x", "kind": "news"}, None, "This field is required."),
        ({"title": "T", "teaser": "x", "kind": "blog"}, None, None),
        ({"title": "T", "teaser": "x", "kind": "news", "image_alt": "Bild"}, FAKE_PNG, None),
        (
            {"title": "T", "teaser": "x", "kind": "news"},
            "png",
            "Please describe the image for people who cannot see it.",
        ),
    ],
)
def test_bad_input_writes_nothing(login, editor, data, image, message):
    data = dict(data)
    if image == FAKE_PNG:
        data["image"] = SimpleUploadedFile("bild.png", b"<html>keine Grafik</html>", content_type="image/png")
    elif image:
        data["image"] = _png()
    with translation.override("de"):
        response = login(editor).post(reverse("news:editorial_create"), data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 422
    content = response.content.decode()
    if message:
        assert german(message) in content
    if image == FAKE_PNG:
        with translation.override("de"):
            expected = gettext("The content of the file does not match its name: it is not a real %(type)s file.")
        assert expected.split("%")[0] in content
    assert german("Please check the marked fields.") in content
    assert not NewsItem.objects.exists()


def test_edit_conflict_keeps_the_stored_version(login, editor):
    item = NewsItemFactory(title="Alt", teaser="Alter Anreißer")
    url = reverse("news:editorial_edit", kwargs={"pk": item.pk})
    stale = item.version
    NewsItem.objects.filter(pk=item.pk).update(title="Von jemand anderem")
    item.refresh_from_db()
    item.save()  # a new version
    data = {"title": "Meine Fassung", "teaser": "Neu", "kind": "news", "version": stale}
    response = login(editor).post(url, data)
    assert response.status_code == 422
    assert "Von jemand anderem" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Von jemand anderem"
    # The form now carries the current version: saving again keeps the user's text.
    response = login(editor).post(url, {**data, "version": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Meine Fassung" and item.slug.startswith("meldung-")  # the address stays


def test_moderation_publish_and_reject_with_mail_to_the_submitter(
    login, editor, contributor, municipality, django_capture_on_commit_callbacks
):
    published = NewsItemFactory(municipality=municipality, author=contributor, status=NewsStatus.SUBMITTED,
                                published_at=None, title="Gute Nachricht")  # fmt: skip
    rejected = NewsItemFactory(municipality=municipality, author=contributor, status=NewsStatus.SUBMITTED,
                               published_at=None, title="Werbung")  # fmt: skip
    client = login(editor)
    index = client.get(reverse("news:editorial_index")).content.decode()
    assert "Gute Nachricht" in index and "Werbung" in index

    page = client.get(reverse("news:editorial_edit", kwargs={"pk": published.pk}))
    assert page.status_code == 200
    assert reverse("news:editorial_reject", kwargs={"pk": published.pk}) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news:editorial_publish", kwargs={"pk": published.pk}))
    published.refresh_from_db()
    assert published.status == NewsStatus.PUBLISHED and published.reviewed_by == editor

    url = reverse("news:editorial_reject", kwargs={"pk": rejected.pk})
    with translation.override("de"):
        response = client.post(url, {"note": ""}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 422
    assert german("This field is required.") in response.content.decode()
    rejected.refresh_from_db()
    assert rejected.status == NewsStatus.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": "Bitte ohne Werbung."})
    assert response.status_code == 302
    rejected.refresh_from_db()
    assert rejected.status == NewsStatus.REJECTED and rejected.review_note == "Bitte ohne Werbung."
    assert [message.to for message in mail.outbox] == [[contributor.email], [contributor.email]]
    assert published.get_absolute_url() in mail.outbox[0].body
    assert "Bitte ohne Werbung." in mail.outbox[1].body
    # Rejecting twice is refused with a message, nothing changes.
    response = client.post(url, {"note": "Nochmal"})
    rejected.refresh_from_db()
    assert rejected.review_note == "Bitte ohne Werbung."


def test_editorial_index_query_count(login, editor, municipality, django_assert_num_queries):
    for number in range(6):
        NewsItemFactory(municipality=municipality, status=NewsStatus.SUBMITTED if number % 2 else NewsStatus.PUBLISHED)
    client = login(editor)
    client.get(reverse("news:editorial_index"))
    with django_assert_num_queries(10):
        client.get(reverse("news:editorial_index"))
    for _number in range(6):
        NewsItemFactory(municipality=municipality, status=NewsStatus.SUBMITTED)
    with django_assert_num_queries(10):
        client.get(reverse("news:editorial_index"))


# --- Newsletter issues ------------------------------------------------------------------------------------------


def test_compose_preview_and_send_an_issue(login, editor, django_capture_on_commit_callbacks):
    SubscriberFactory(email="leserin@example.org")
    news = NewsItemFactory(title="Netzwerktreffen Süd")
    draft = NewsItemFactory(title="Entwurf", status=NewsStatus.DRAFT, published_at=None)
    client = login(editor)
    create = client.get(reverse("newsletter:editorial_create")).content.decode()
    assert "Netzwerktreffen Süd" in create and "Entwurf" not in create

    response = client.post(
        reverse("newsletter:editorial_create"),
        {"subject": "Ausgabe 1", "body": "Hallo **Netzwerk**", "news_items": [news.pk]},
    )
    issue = NewsletterIssue.objects.get()
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "<strong>Netzwerk</strong>" in page and "Netzwerktreffen Süd" in page  # preview

    # A draft news item cannot be smuggled in.
    response = client.post(
        response.url,
        {"subject": "Ausgabe 1", "body": "Text", "news_items": [draft.pk], "version": issue.version},
    )
    assert response.status_code == 422
    assert list(NewsletterIssue.objects.get().news_items.all()) == [news]

    send = reverse("newsletter:editorial_send", kwargs={"pk": issue.pk})
    assert client.post(send, {}).status_code == 422  # confirmation missing
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send, {"confirm": "on"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.sent_count == 1
    assert [message.to for message in mail.outbox] == [["leserin@example.org"]]
    page = client.get(reverse("newsletter:editorial_issue", kwargs={"pk": issue.pk})).content.decode()
    assert "<progress" in page and 'value="1"' in page
    # A sent issue can no longer be changed.
    response = client.post(
        reverse("newsletter:editorial_issue", kwargs={"pk": issue.pk}),
        {"subject": "Geändert", "body": "x", "version": issue.version},
    )
    issue.refresh_from_db()
    assert issue.subject == "Ausgabe 1"


def test_progress_fragment_for_htmx(login, editor):
    issue = IssueFactory(status=IssueStatus.SENDING, recipient_count=10, sent_count=4)
    response = login(editor).get(
        reverse("newsletter:editorial_issue", kwargs={"pk": issue.pk}), {"fragment": "progress"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200 and content.strip().startswith('<section id="issue-progress"')
    assert 'hx-trigger="every 3s"' in content and 'value="4"' in content and "<html" not in content


def test_issue_edit_conflict(login, editor):
    issue = IssueFactory(subject="Alt")
    stale = issue.version
    issue.subject = "Von jemand anderem"
    issue.save()
    response = login(editor).post(
        reverse("newsletter:editorial_issue", kwargs={"pk": issue.pk}),
        {"subject": "Meins", "body": "Text", "version": stale},
    )
    assert response.status_code == 422
    issue.refresh_from_db()
    assert issue.subject == "Von jemand anderem"
