"""A publication's document (PDF, ODT, DOCX): checked by content, offered for download with type and size on the
page and as the enclosure of the feeds, and moderated with a Kommune's submission."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from daks.news import services
from daks.news.models import NewsItem, NewsStatus

pytestmark = pytest.mark.django_db

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PUBLICATION = {
    "title": "Arbeitshilfe Wohnen im Alter",
    "teaser": "Die neue Arbeitshilfe zum Herunterladen.",
    "kind": "publication",
}


def german(message: str) -> str:
    with translation.override("de"):
        return gettext(message)


def pdf(name="arbeitshilfe.pdf", content=TINY_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_documents(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT / "news" / "documents"
    return list(root.iterdir()) if root.exists() else []


def test_editor_uploads_a_pdf_shown_as_download_with_type_and_size(login, editor, client, settings):
    response = login(editor).post(reverse("news:editorial_create"), {**PUBLICATION, "document": pdf(), "publish": "on"})
    item = NewsItem.objects.get()
    assert response.status_code == 302 and item.status == NewsStatus.PUBLISHED
    assert (item.document_kind, item.document_size) == ("pdf", len(TINY_PDF))
    assert str(settings.PRIVATE_MEDIA_ROOT) in item.document.path  # never under the public MEDIA_ROOT
    client.logout()
    page = client.get(item.get_absolute_url()).content.decode()
    url = reverse("news:document", kwargs={"slug": item.slug})
    assert f'href="{url}"' in page and "PDF" in page and f"{len(TINY_PDF)}" in page  # "161 Bytes"
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == TINY_PDF
    assert "attachment" in download["Content-Disposition"] and f"{item.slug}.pdf" in download["Content-Disposition"]


def test_fake_pdf_is_refused_in_german_and_nothing_written(login, editor, settings):
    from django.core.exceptions import ValidationError

    from daks.core.uploads import validate_document

    fake = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    with translation.override("de"):
        try:
            validate_document(pdf("bericht.pdf", fake), allowed=("pdf", "odt", "docx"))
        except ValidationError as error:
            expected = error.messages[0]
    assert "keine echte PDF-Datei" in expected  # German
    response = login(editor).post(
        reverse("news:editorial_create"),
        {**PUBLICATION, "document": pdf("bericht.pdf", fake)},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 422
    assert response.context["form"].errors["document"] == [expected]
    assert not NewsItem.objects.exists() and not stored_documents(settings)


def test_only_publications_carry_a_document(login, editor, settings):
    response = login(editor).post(reverse("news:editorial_create"), {**PUBLICATION, "kind": "news", "document": pdf()})
    assert not NewsItem.objects.exists() and not stored_documents(settings)
    assert german("Only publications can have a document. Choose the kind “Publication” or remove the document.") in (
        response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    )


def test_feeds_carry_the_document_as_enclosure(login, editor, client, settings):
    login(editor).post(reverse("news:editorial_create"), {**PUBLICATION, "document": pdf(), "publish": "on"})
    item = NewsItem.objects.get()
    url = settings.DAKS_BASE_URL + reverse("news:document", kwargs={"slug": item.slug})
    client.logout()
    rss = client.get(reverse("news:feed_rss")).content.decode()
    assert f'<enclosure length="{len(TINY_PDF)}" type="application/pdf" url="{url}"' in rss or (
        "<enclosure" in rss and url in rss and 'type="application/pdf"' in rss
    )
    atom = client.get(reverse("news:feed_atom")).content.decode()
    assert 'rel="enclosure"' in atom and url in atom and f'length="{len(TINY_PDF)}"' in atom


def test_editor_replaces_and_removes_the_document(login, editor, settings):
    editor_client = login(editor)
    editor_client.post(reverse("news:editorial_create"), {**PUBLICATION, "document": pdf()})
    item = NewsItem.objects.get()
    edit = reverse("news:editorial_edit", kwargs={"pk": item.pk})
    assert reverse("news:document", kwargs={"slug": item.slug}) in editor_client.get(edit).content.decode()
    response = editor_client.post(edit, {**PUBLICATION, "version": item.version, "remove_document": "on"})
    item.refresh_from_db()
    assert response.status_code == 302 and not item.document and item.document_size == 0
    assert not stored_documents(settings)


def test_submitted_document_is_moderated_with_the_news_item(
    client, login, coordinator, outsider, editor, municipality, settings
):
    response = login(coordinator).post(
        reverse("news:submit", kwargs={"municipality_slug": municipality.slug}), {**PUBLICATION, "document": pdf()}
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302 and item.status == NewsStatus.SUBMITTED and item.document_kind == "pdf"
    url = reverse("news:document", kwargs={"slug": item.slug})
    client.logout()
    assert client.get(url).status_code == 404  # not public before moderation
    assert login(outsider).get(url).status_code == 404  # another Kommune
    assert login(coordinator).get(url).status_code == 200  # the submitting Kommune
    editor_client = login(editor)
    assert url in editor_client.get(reverse("news:editorial_edit", kwargs={"pk": item.pk})).content.decode()
    assert editor_client.get(url).status_code == 200
    services.news_publish(actor=editor, item=item)
    client.logout()
    assert client.get(url).status_code == 200
