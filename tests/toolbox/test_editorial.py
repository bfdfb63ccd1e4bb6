"""The pages of the editorial office (/werkzeugkoffer/redaktion/): who may enter, the overview and moderation
queue, writing and editing, workflow buttons, attachments and video, history, topic fields and the admin."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from daks.toolbox import services
from daks.toolbox.models import Tool, ToolAttachment, ToolRevision, ToolStatus, TopicField
from tests.factories import UserFactory

from .factories import ToolFactory, make_editor, make_reviewer

pytestmark = pytest.mark.django_db

REAL_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
WEBM_HEAD = b"\x1a\x45\xdf\xa3" + b"\x00" * 64

# Session, user, groups (access check, cached on the user for the navigation too), status counts, count and page
# of the tools, moderation queue, unread notifications of the navigation: none of them per row.
INDEX_QUERIES = 8


# The shared fixtures of tests/toolbox/conftest.py pass first_name/last_name, which the User model lacks.
@pytest.fixture
def editor(db):
    return make_editor(UserFactory(email="redaktion@example.org", name="Rita Redaktion"))


@pytest.fixture
def reviewer(db):
    return make_reviewer(UserFactory(email="pruefung@example.org", name="Paul Prüfung"))


def german(msgid: str) -> str:
    with translation.override("de"):
        return translation.gettext(msgid)


def url(name: str, **kwargs) -> str:
    return reverse(f"toolbox_editorial:{name}", kwargs=kwargs)


def form_data(**overrides) -> dict:
    data = {
        "title": "Generationendialog",
        "teaser": "Jung und Alt ins Gespräch bringen.",
        "body": "## Worum es geht\n\nEin **Dialog** zwischen den Generationen.",
        "tool_type": "method",
        "topics": [TopicField.objects.get(slug="wohnen").pk],
        "steps": ["profile", "workshop"],
        "sizes": ["small"],
        "effort": "low",
        "cost": "medium",
        "target_groups": "Ältere Menschen\r\nJugendliche\r\n",
        "origin_municipality": "",
        "contact": "",
        "video_url": "",
        "last_reviewed": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def tool(editor):
    tool = services.tool_create(
        user=editor,
        data={
            "title": "Zukunftswerkstatt",
            "teaser": "Ideen sammeln.",
            "body": "## Ablauf\n\nKritik, Fantasie, Umsetzung.",
            "tool_type": "method",
            "topics": list(TopicField.objects.filter(slug="buergerbeteiligung")),
            "steps": ["workshop"],
            "sizes": ["small"],
        },
    )
    return tool


# --- Who may enter ---------------------------------------------------------------------------------------------

READ_PAGES = ["index", "tool", "history", "revision", "topics", "attachment"]
EDIT_PAGES = ["create", "edit", "topic_edit"]


def page_url(name, tool) -> str:
    if name in ("index", "create", "topics"):
        return url(name)
    if name == "topic_edit":
        return url(name, topic_pk=TopicField.objects.get(slug="wohnen").pk)
    if name == "revision":
        return url(name, pk=tool.pk, revision_pk=tool.revisions.first().pk)
    if name == "attachment":
        item = services.attachment_add(
            tool=tool, user=tool.revisions.first().author, title="Plan", file=SimpleUploadedFile("p.pdf", REAL_PDF)
        )
        return url(name, pk=tool.pk, attachment_pk=item.pk)
    return url(name, pk=tool.pk)


@pytest.mark.parametrize("name", READ_PAGES + EDIT_PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, tool, name):
    target = page_url(name, tool)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login")) and "next=" in response["Location"]


@pytest.mark.parametrize("name", READ_PAGES + EDIT_PAGES)
@pytest.mark.parametrize("who", ["plain", "coordinator", "contributor"])
def test_users_outside_the_editorial_office_get_403(login, tool, name, who, coordinator, contributor):
    user = {"plain": UserFactory(), "coordinator": coordinator, "contributor": contributor}[who]
    response = login(user).get(page_url(name, tool))
    assert response.status_code == 403
    assert german("These pages are reserved for the editorial office of the toolbox.") in response.content.decode()


@pytest.mark.parametrize("name", READ_PAGES + EDIT_PAGES)
def test_editors_see_every_page(login, editor, tool, name):
    response = login(editor).get(page_url(name, tool))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", READ_PAGES)
def test_reviewers_see_the_pages_for_reading(login, reviewer, tool, name):
    assert login(reviewer).get(page_url(name, tool)).status_code == 200


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_reviewers_do_not_write(login, reviewer, tool, name):
    assert login(reviewer).get(page_url(name, tool)).status_code == 403


def test_posts_of_outsiders_write_nothing(client, login, tool, coordinator):
    topic = TopicField.objects.get(slug="wohnen")
    posts = [
        (url("transition", pk=tool.pk), {"action": "submit"}),
        (url("create"), form_data()),
        (url("edit", pk=tool.pk), form_data(version=tool.version)),
        (url("attachment_add", pk=tool.pk), {"title": "A", "file": SimpleUploadedFile("a.pdf", REAL_PDF)}),
        (url("video", pk=tool.pk), {"video_file": SimpleUploadedFile("v.webm", WEBM_HEAD)}),
        (url("topic_create"), {"name": "Kultur"}),
        (url("topic_edit", topic_pk=topic.pk), {"name": "Anders"}),
        (url("topic_delete", topic_pk=TopicField.objects.get(slug="integration").pk), {}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 302  # anonymous: to the login
    outsider = login(coordinator)
    for target, data in posts:
        assert outsider.post(target, data).status_code == 403, target
    assert Tool.objects.count() == 1 and ToolRevision.objects.count() == 1
    assert not ToolAttachment.objects.exists() and TopicField.objects.count() == 13
    tool.refresh_from_db()
    assert tool.status == ToolStatus.DRAFT and not tool.video_file


# --- Overview --------------------------------------------------------------------------------------------------


def test_overview_counts_filters_and_moderation_queue(login, editor, coordinator, municipality):
    ToolFactory(title="Veröffentlichtes Werkzeug")
    ToolFactory(title="Entwurf eins", status=ToolStatus.DRAFT)
    services.tool_submit_from_municipality(
        municipality=municipality,
        user=coordinator,
        data={
            "title": "Dorfladen in Bürgerhand",
            "teaser": "Nahversorgung gemeinsam sichern.",
            "body": "Text",
            "tool_type": "best_practice",
            "topics": list(TopicField.objects.filter(slug="engagement")),
            "steps": ["plan"],
        },
        credit_name=True,
    )
    client = login(editor)
    html = client.get(url("index")).content.decode()
    queue = html.split('id="queue-heading"')[1].split("</section>")[0]
    assert "Dorfladen in Bürgerhand" in queue and "Musterstadt" in queue
    assert f"{coordinator.name}, Musterstadt" in queue
    assert "Entwurf eins" not in queue
    assert 'href="?status=draft"' in html and '<span class="badge">1</span>' in html
    drafts = client.get(url("index"), {"status": "draft"}).content.decode()
    listed = drafts.split('id="tools-heading"')[1]
    assert "Entwurf eins" in listed and "Veröffentlichtes Werkzeug" not in listed
    everything = client.get(url("index"), {"status": "nonsense"}).content.decode().split('id="tools-heading"')[1]
    assert "Entwurf eins" in everything and "Veröffentlichtes Werkzeug" in everything


def test_overview_query_count_does_not_grow_with_tools(login, editor, django_assert_num_queries, municipality):
    client = login(editor)
    for number in range(3):
        tool = ToolFactory(title=f"Werkzeug {number}", status=ToolStatus.REVIEW, submitted_by=editor)
        tool.origin_municipality = municipality
        tool.save()
    client.get(url("index"))  # warm up (session, content types)
    with django_assert_num_queries(INDEX_QUERIES):
        client.get(url("index"))
    for number in range(3, 8):
        ToolFactory(title=f"Werkzeug {number}", status=ToolStatus.REVIEW, submitted_by=editor)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(url("index"))
    assert response.content.decode().count("<tr>") == 1 + 8 + 1 + 8  # header and rows of queue and list


# --- Create and edit -------------------------------------------------------------------------------------------


def test_editor_creates_a_draft(login, editor, municipality):
    client = login(editor)
    related = ToolFactory(title="Ideenbörse")
    data = form_data(origin_municipality=municipality.pk, related=[related.pk], last_reviewed="2026-02-01")
    response = client.post(url("create"), data, follow=True)
    tool = Tool.objects.get(title="Generationendialog")
    assert response.redirect_chain[-1][0] == url("tool", pk=tool.pk)
    assert tool.status == ToolStatus.DRAFT and tool.slug == "generationendialog"
    assert tool.target_groups == ["Ältere Menschen", "Jugendliche"]
    assert sorted(tool.step_links.values_list("step", flat=True)) == ["profile", "workshop"]
    assert tool.origin_municipality == municipality and list(tool.related.all()) == [related]
    assert tool.last_reviewed == datetime.date(2026, 2, 1)
    html = response.content.decode()
    assert "<strong>Dialog</strong>" in html  # the rendered text on the editorial page
    assert german("Submit for review") in html


@pytest.mark.parametrize(
    ("overrides", "field", "msgid"),
    [
        ({"topics": []}, "topics", "Please choose at least one topic field."),
        ({"steps": []}, "steps", "Please choose at least one process step."),
        ({"title": "   "}, "title", None),
        ({"slug": "Kein Slug!"}, "slug", None),
        ({"video_url": "kein link"}, "video_url", None),
    ],
)
def test_bad_input_shows_a_message_and_writes_nothing(login, editor, overrides, field, msgid):
    response = login(editor).post(url("create"), form_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    if msgid:
        assert german(msgid) in html
    assert "Jung und Alt ins Gespräch bringen." in html  # the input is kept
    assert not Tool.objects.exists() and not ToolRevision.objects.exists()


def test_address_taken_is_reported_on_the_field(login, editor, tool):
    response = login(editor).post(url("create"), form_data(slug=tool.slug))
    assert response.status_code == 400
    assert german("Another tool already uses this address.") in response.content.decode()
    assert Tool.objects.count() == 1


def test_preview_renders_the_text_without_saving(login, editor, tool):
    client = login(editor)
    response = client.post(url("create"), form_data(body="## Neue Überschrift\n\n<script>x</script>", preview="1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Neue Überschrift</h2>" in html and "<script>x</script>" not in html
    assert Tool.objects.count() == 1
    edit_page = client.get(url("edit", pk=tool.pk)).content.decode()
    assert "<h2>Ablauf</h2>" in edit_page  # the saved text on the edit page
    response = client.post(url("edit", pk=tool.pk), form_data(version=tool.version, body="Nur *Vorschau*", preview="1"))
    assert "<em>Vorschau</em>" in response.content.decode()
    tool.refresh_from_db()
    assert tool.title == "Zukunftswerkstatt"


def test_edit_saves_and_records_the_changed_fields(login, editor, tool):
    client = login(editor)
    html = client.get(url("edit", pk=tool.pk)).content.decode()
    assert 'value="Zukunftswerkstatt"' in html and f'value="{tool.version}"' in html
    assert 'name="slug"' not in html  # the address stays
    response = client.post(url("edit", pk=tool.pk), form_data(title="Zukunftswerkstatt kompakt", version=tool.version))
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.title == "Zukunftswerkstatt kompakt" and tool.slug == "zukunftswerkstatt"
    history = client.get(url("history", pk=tool.pk)).content.decode()
    assert german("edited") in history and german("created") in history
    assert german("Title") in history and german("Topic fields") in history and german("Rita Redaktion") in history


def test_edit_conflict_keeps_the_input_and_writes_nothing(login, editor, tool):
    client = login(editor)
    stale = tool.version
    services.tool_update(
        tool=tool,
        user=editor,
        version=stale,
        data={
            "title": "Von jemand anderem",
            "teaser": "T",
            "body": "B",
            "tool_type": "method",
            "topics": list(TopicField.objects.filter(slug="wohnen")),
            "steps": ["plan"],
        },
    )
    response = client.post(url("edit", pk=tool.pk), form_data(title="Meine Fassung", version=stale))
    assert response.status_code == 400
    html = response.content.decode()
    assert german("Version saved in the meantime") in html and "Von jemand anderem" in html
    assert 'value="Meine Fassung"' in html
    tool.refresh_from_db()
    assert tool.title == "Von jemand anderem"
    assert f'value="{tool.version}"' in html  # saving again overwrites knowingly


# --- Workflow buttons ------------------------------------------------------------------------------------------


def test_workflow_through_the_pages(login, client, editor, reviewer, tool):
    page = login(editor).get(url("tool", pk=tool.pk)).content.decode()
    assert 'value="submit"' in page and 'value="publish"' not in page
    response = client.post(url("transition", pk=tool.pk), {"action": "submit"}, follow=True)
    assert german("The tool has been submitted for review.") in response.content.decode()
    tool.refresh_from_db()
    assert tool.status == ToolStatus.REVIEW

    client = login(reviewer)
    page = client.get(url("tool", pk=tool.pk)).content.decode()
    assert 'value="publish"' in page and 'value="return"' in page and 'value="submit"' not in page
    response = client.post(url("transition", pk=tool.pk), {"action": "return", "note": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert german("Please tell the author what should be changed.") in html and 'id="note-return-error"' in html
    tool.refresh_from_db()
    assert tool.status == ToolStatus.REVIEW
    response = client.post(url("transition", pk=tool.pk), {"action": "return", "note": "Bitte Quellen ergänzen."})
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.status == ToolStatus.DRAFT and tool.review_note == "Bitte Quellen ergänzen."
    history = client.get(url("history", pk=tool.pk)).content.decode()
    assert german("returned for revision") in history and "Bitte Quellen ergänzen." in history


def test_four_eyes_on_the_page(login, editor, reviewer):
    both = make_reviewer(make_editor(UserFactory()))
    tool = ToolFactory(status=ToolStatus.REVIEW, review_requested_by=both)
    client = login(both)
    page = client.get(url("tool", pk=tool.pk)).content.decode()
    assert 'value="publish"' not in page
    response = client.post(url("transition", pk=tool.pk), {"action": "publish"})
    assert response.status_code == 400
    msgid = "You requested this review yourself: another member of the editorial office must publish it."
    assert german(msgid) in response.content.decode()
    tool.refresh_from_db()
    assert tool.status == ToolStatus.REVIEW
    response = login(reviewer).post(url("transition", pk=tool.pk), {"action": "publish"}, follow=True)
    assert german("The tool has been published.") in response.content.decode()
    tool.refresh_from_db()
    assert tool.is_published


def test_unknown_or_impossible_action_changes_nothing(login, editor, tool):
    client = login(editor)
    response = client.post(url("transition", pk=tool.pk), {"action": "delete"}, follow=True)
    assert german("Unknown workflow step.") in response.content.decode()
    assert client.post(url("transition", pk=tool.pk), {"action": "restore"}).status_code == 400
    tool.refresh_from_db()
    assert tool.status == ToolStatus.DRAFT and tool.revisions.count() == 1


def test_unknown_tool_is_404(login, editor):
    client = login(editor)
    assert client.get(url("tool", pk=999)).status_code == 404
    assert client.post(url("transition", pk=999), {"action": "submit"}).status_code == 404


# --- Attachments and video ---------------------------------------------------------------------------------------


def test_attachment_upload_download_and_remove(login, editor, tool):
    client = login(editor)
    response = client.post(
        url("attachment_add", pk=tool.pk), {"title": "Leitfaden", "file": SimpleUploadedFile("l.pdf", REAL_PDF)}
    )
    assert response.status_code == 302
    item = ToolAttachment.objects.get()
    page = client.get(url("tool", pk=tool.pk)).content.decode()
    assert "Leitfaden" in page and url("attachment", pk=tool.pk, attachment_pk=item.pk) in page
    download = client.get(url("attachment", pk=tool.pk, attachment_pk=item.pk))
    assert b"".join(download.streaming_content) == REAL_PDF and download["Content-Type"] == "application/pdf"
    other = ToolFactory()
    assert client.post(url("attachment_remove", pk=other.pk, attachment_pk=item.pk)).status_code == 404
    response = client.post(url("attachment_remove", pk=tool.pk, attachment_pk=item.pk), follow=True)
    assert not ToolAttachment.objects.exists()
    assert german("attachment removed") in client.get(url("history", pk=tool.pk)).content.decode()
    assert response.status_code == 200


def test_fake_pdf_is_refused_with_a_message(login, editor, tool):
    response = login(editor).post(
        url("attachment_add", pk=tool.pk),
        {"title": "Leitfaden", "file": SimpleUploadedFile("l.pdf", b"<html>kein PDF</html>")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_file_error"' in html and 'value="Leitfaden"' in html
    assert not ToolAttachment.objects.exists() and tool.revisions.count() == 1


def test_video_upload(login, editor, tool):
    client = login(editor)
    response = client.post(url("video", pk=tool.pk), {"video_file": SimpleUploadedFile("clip.mp4", b"kein video")})
    assert response.status_code == 400
    assert german("Only MP4 and WebM videos are allowed.") in response.content.decode()
    tool.refresh_from_db()
    assert not tool.video_file
    response = client.post(url("video", pk=tool.pk), {"video_file": SimpleUploadedFile("clip.webm", WEBM_HEAD)})
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.video_file.name.endswith(".webm")


# --- History -----------------------------------------------------------------------------------------------------


def test_revision_shows_the_snapshot_in_words(login, editor, tool):
    ToolFactory(title="Ideenbörse", slug="ideenboerse")
    services.tool_update(
        tool=tool,
        user=editor,
        version=tool.version,
        data={
            "title": "Zukunftswerkstatt neu",
            "teaser": "Ideen sammeln.",
            "body": "Neu",
            "tool_type": "concept",
            "topics": list(TopicField.objects.filter(slug="wohnen")),
            "steps": ["workshop"],
            "sizes": ["small"],
            "related": list(Tool.objects.filter(slug="ideenboerse")),
        },
    )
    first = tool.revisions.last()
    client = login(editor)
    html = client.get(url("revision", pk=tool.pk, revision_pk=first.pk)).content.decode()
    html = html.split('<dl class="definition-list">')[1]  # the snapshot (the page title names the tool as it is now)
    assert "Zukunftswerkstatt" in html and "Bürgerbeteiligung" in html and "<h2>Ablauf</h2>" in html
    assert "Zukunftswerkstatt neu" not in html
    latest = client.get(url("revision", pk=tool.pk, revision_pk=tool.revisions.first().pk)).content.decode()
    assert "Ideenbörse" in latest and "Wohnen" in latest
    other = ToolFactory()
    assert client.get(url("revision", pk=other.pk, revision_pk=first.pk)).status_code == 404


# --- Topic fields --------------------------------------------------------------------------------------------


def test_topic_fields_page_lists_counts(login, reviewer):
    ToolFactory(topics=["wohnen"])
    ToolFactory(topics=["wohnen"], status=ToolStatus.DRAFT)
    html = login(reviewer).get(url("topics")).content.decode()
    row = html.split('<th scope="row">Wohnen</th>')[1].split("</tr>")[0]
    assert '<td class="num">2</td>' in row and '<td class="num">1</td>' in row
    assert url("topic_create") not in html  # reviewers do not maintain topic fields


def test_topic_fields_add_rename_delete(login, editor):
    client = login(editor)
    response = client.post(url("topic_create"), {"name": "Mobilität", "description": "Bus und Bahn"}, follow=True)
    assert "Mobilität" in response.content.decode()
    topic = TopicField.objects.get(name="Mobilität")
    response = client.post(url("topic_create"), {"name": "mobilität"})
    assert response.status_code == 400
    assert german("A topic field with this name already exists.") in response.content.decode()
    assert client.post(url("topic_edit", topic_pk=topic.pk), {"name": "Mobilität und Verkehr"}).status_code == 302
    topic.refresh_from_db()
    assert topic.name == "Mobilität und Verkehr" and topic.slug == "mobilitaet"
    ToolFactory(topics=["mobilitaet"])
    response = client.post(url("topic_delete", topic_pk=topic.pk), follow=True)
    msgid = "This topic field still has tools. Move them to another topic field first."
    assert german(msgid) in response.content.decode()
    assert TopicField.objects.filter(pk=topic.pk).exists()
    Tool.objects.all().delete()
    client.post(url("topic_delete", topic_pk=topic.pk))
    assert not TopicField.objects.filter(pk=topic.pk).exists()


def test_topic_rename_with_empty_name_writes_nothing(login, editor):
    topic = TopicField.objects.get(slug="wohnen")
    response = login(editor).post(url("topic_edit", topic_pk=topic.pk), {"name": "  "})
    assert response.status_code == 400 and 'id="id_name_error"' in response.content.decode()
    topic.refresh_from_db()
    assert topic.name == "Wohnen"


# --- Admin ---------------------------------------------------------------------------------------------------------


def test_admin_lists_and_shows_toolbox_models(login, staff_user, tool):
    client = login(staff_user)
    for name in ("tool", "topicfield", "toolrevision"):
        assert client.get(reverse(f"admin:toolbox_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:toolbox_tool_changelist"), {"status__exact": "draft"}).status_code == 200
    assert client.get(reverse("admin:toolbox_tool_change", args=[tool.pk])).status_code == 200
    revision = tool.revisions.get()
    assert client.get(reverse("admin:toolbox_toolrevision_change", args=[revision.pk])).status_code == 200
    assert client.get(reverse("admin:toolbox_tool_add")).status_code == 403
