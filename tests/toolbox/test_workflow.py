"""The editorial workflow of the Werkzeugkoffer in the services: who may write, submit, publish, return, archive;
the four-eyes principle; revisions with changed fields; attachment and video checks; topic fields."""

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from daks.core.errors import DomainError
from daks.toolbox import services
from daks.toolbox.models import Tool, ToolAttachment, ToolRevision, ToolStatus, TopicField
from tests.factories import UserFactory

from .factories import ToolFactory, make_editor, make_reviewer

pytestmark = pytest.mark.django_db

FAKE_PDF = b"<html><body>Kein PDF</body></html>"
REAL_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM_HEAD = b"\x1a\x45\xdf\xa3" + b"\x00" * 64


# The shared fixtures of tests/toolbox/conftest.py pass first_name/last_name, which the User model lacks.
@pytest.fixture
def editor(db):
    return make_editor(UserFactory(email="redaktion@example.org", name="Rita Redaktion"))


@pytest.fixture
def reviewer(db):
    return make_reviewer(UserFactory(email="pruefung@example.org", name="Paul Prüfung"))


@pytest.fixture
def second_reviewer(db):
    return make_reviewer(UserFactory(email="pruefung2@example.org", name="Petra Prüfung"))


def tool_data(**overrides) -> dict:
    data = {
        "title": "Generationendialog",
        "teaser": "Jung und Alt ins Gespräch bringen.",
        "body": "## Worum es geht\n\nEin Dialog zwischen den Generationen.",
        "tool_type": "method",
        "topics": list(TopicField.objects.filter(slug="wohnen")),
        "steps": ["profile"],
        "sizes": ["small"],
        "effort": "low",
        "cost": "low",
        "target_groups": ["Ältere Menschen", "  ", "Jugendliche "],
    }
    data.update(overrides)
    return data


def german(msgid: str) -> str:
    with translation.override("de"):
        return translation.gettext(msgid)


def draft(editor, **overrides) -> Tool:
    return services.tool_create(user=editor, data=tool_data(**overrides))


def in_review(editor, **overrides) -> Tool:
    tool = draft(editor, **overrides)
    return services.tool_transition(tool=tool, user=editor, action="submit")


# --- Writing ---------------------------------------------------------------------------------------------


def test_editor_creates_a_draft_with_a_first_revision(editor):
    tool = draft(editor)
    assert tool.status == ToolStatus.DRAFT and tool.slug == "generationendialog" and tool.is_editorial
    assert tool.target_groups == ["Ältere Menschen", "Jugendliche"]
    assert list(tool.step_links.values_list("step", flat=True)) == ["profile"]
    revision = tool.revisions.get()
    assert (revision.action, revision.author, revision.changed_fields) == ("created", editor, [])
    assert revision.snapshot["topics"] == ["wohnen"] and revision.snapshot["title"] == "Generationendialog"


def test_address_is_german_and_never_the_editorial_office(editor):
    assert draft(editor, title="Älter werden in Großdorf").slug == "aelter-werden-in-grossdorf"
    assert draft(editor, title="Redaktion").slug == "redaktion-2"
    with pytest.raises(DomainError) as info:
        draft(editor, title="Noch eins", slug="redaktion")
    assert info.value.field == "slug"


@pytest.mark.parametrize("who", ["reviewer", "plain", "coordinator"])
def test_only_editors_create(who, reviewer, coordinator):
    user = {"reviewer": reviewer, "plain": UserFactory(), "coordinator": coordinator}[who]
    with pytest.raises(DomainError) as info:
        services.tool_create(user=user, data=tool_data())
    assert info.value.message == german("You are not allowed to do this in the editorial office of the toolbox.")
    assert not Tool.objects.exists() and not ToolRevision.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": "  "}, "title"), ({"topics": []}, "topics"), ({"steps": []}, "steps"), ({"body": ""}, "body")],
)
def test_incomplete_tool_is_refused(editor, overrides, field):
    with translation.override("de"), pytest.raises(DomainError) as info:
        draft(editor, **overrides)
    assert info.value.field == field
    assert not Tool.objects.exists()


def test_update_records_exactly_the_changed_fields(editor):
    tool = draft(editor)
    services.tool_update(
        tool=tool,
        user=editor,
        version=tool.version,
        data=tool_data(title="Generationendialog vor Ort", topics=list(TopicField.objects.filter(slug="integration"))),
    )
    revision = tool.revisions.first()
    assert revision.action == "updated"
    assert revision.changed_fields == ["title", "topics"]
    assert revision.snapshot["topics"] == ["integration"]


def test_update_with_a_stale_version_is_a_conflict_and_writes_nothing(editor):
    tool = draft(editor)
    stale = tool.version
    Tool.objects.filter(pk=tool.pk).update(updated_at=tool.updated_at + datetime.timedelta(seconds=5))
    with pytest.raises(services.EditConflict):
        services.tool_update(tool=tool, user=editor, version=stale, data=tool_data(title="Überschrieben"))
    tool.refresh_from_db()
    assert tool.title == "Generationendialog" and tool.revisions.count() == 1


# --- Workflow --------------------------------------------------------------------------------------------


def test_submit_then_another_reviewer_publishes(editor, reviewer):
    tool = in_review(editor)
    assert tool.status == ToolStatus.REVIEW and tool.review_requested_by == editor
    assert services.allowed_actions(tool, reviewer) == ["publish", "return", "archive"]
    tool = services.tool_transition(
        tool=tool, user=reviewer, action="publish", note="Gut so.", today=datetime.date(2026, 3, 1)
    )
    assert tool.status == ToolStatus.PUBLISHED and tool.published_at is not None
    assert tool.last_reviewed == datetime.date(2026, 3, 1) and tool.review_note == "Gut so."
    assert list(tool.revisions.values_list("action", "status")) == [
        ("publish", "published"),
        ("submit", "review"),
        ("created", "draft"),
    ]


def test_editors_who_are_not_reviewers_cannot_publish(editor):
    tool = in_review(make_editor(UserFactory()))
    assert "publish" not in services.allowed_actions(tool, editor)
    with pytest.raises(DomainError):
        services.tool_transition(tool=tool, user=editor, action="publish")
    tool.refresh_from_db()
    assert tool.status == ToolStatus.REVIEW


def test_four_eyes_the_one_who_requested_review_cannot_publish(reviewer, second_reviewer):
    both = make_reviewer(make_editor(UserFactory()))
    tool = in_review(both)
    assert "publish" not in services.allowed_actions(tool, both)
    with pytest.raises(DomainError) as info:
        services.tool_transition(tool=tool, user=both, action="publish")
    assert info.value.message == german(
        "You requested this review yourself: another member of the editorial office must publish it."
    )
    tool.refresh_from_db()
    assert tool.status == ToolStatus.REVIEW
    assert services.tool_transition(tool=tool, user=second_reviewer, action="publish").status == "published"


def test_return_needs_a_note_and_keeps_it(editor, reviewer):
    tool = in_review(editor)
    with pytest.raises(DomainError) as info:
        services.tool_transition(tool=tool, user=reviewer, action="return", note="   ")
    assert info.value.field == "note"
    assert info.value.message == german("Please tell the author what should be changed.")
    tool.refresh_from_db()
    assert tool.status == ToolStatus.REVIEW and tool.revisions.count() == 2
    tool = services.tool_transition(tool=tool, user=reviewer, action="return", note="Quellen ergänzen.")
    assert tool.status == ToolStatus.DRAFT and tool.review_note == "Quellen ergänzen."
    assert tool.revisions.first().note == "Quellen ergänzen."


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "publish"),
        ("draft", "return"),
        ("published", "submit"),
        ("review", "restore"),
        ("archived", "archive"),
    ],
)
def test_wrong_source_state_is_refused(editor, reviewer, status, action):
    tool = ToolFactory(status=status)
    user = reviewer if action in ("publish", "return") else editor
    with translation.override("de"), pytest.raises(DomainError) as info:
        services.tool_transition(tool=tool, user=user, action=action, note="Notiz")
    with translation.override("de"):
        expected = german("This is not possible while the tool is “%(status)s”.") % {
            "status": tool.get_status_display()
        }
    assert info.value.message == expected
    tool.refresh_from_db()
    assert tool.status == status and not tool.revisions.exists()


def test_unknown_action_is_refused(editor):
    with pytest.raises(DomainError):
        services.tool_transition(tool=draft(editor), user=editor, action="delete")


def test_archive_and_restore(editor, reviewer):
    tool = ToolFactory()
    tool = services.tool_transition(tool=tool, user=reviewer, action="archive")
    assert tool.status == ToolStatus.ARCHIVED
    assert services.allowed_actions(tool, reviewer) == []  # restoring is the editors' job
    with pytest.raises(DomainError):
        services.tool_transition(tool=tool, user=reviewer, action="restore")
    assert services.tool_transition(tool=tool, user=editor, action="restore").status == ToolStatus.DRAFT


@pytest.mark.parametrize("who", ["plain", "coordinator", "anonymous"])
def test_non_editors_cannot_move_tools(who, coordinator):
    from django.contrib.auth.models import AnonymousUser

    user = {"plain": UserFactory(), "coordinator": coordinator, "anonymous": AnonymousUser()}[who]
    for status, action in (("draft", "submit"), ("review", "publish"), ("published", "archive")):
        tool = ToolFactory(status=status)
        assert services.allowed_actions(tool, user) == []
        with pytest.raises(DomainError):
            services.tool_transition(tool=tool, user=user, action=action, note="x")
        tool.refresh_from_db()
        assert tool.status == status


def test_submission_of_a_municipality_can_be_published_by_a_reviewer(coordinator, municipality, reviewer):
    tool = services.tool_submit_from_municipality(
        municipality=municipality, user=coordinator, data=tool_data(), credit_name=False
    )
    assert tool.status == ToolStatus.REVIEW and tool.credit == "Musterstadt"
    assert "publish" in services.allowed_actions(tool, reviewer)
    assert services.tool_transition(tool=tool, user=reviewer, action="publish").is_published


# --- Attachments and video -----------------------------------------------------------------------------------


def test_attachment_is_checked_by_content(editor, settings):
    tool = draft(editor)
    with pytest.raises(DomainError) as info:
        services.attachment_add(
            tool=tool, user=editor, title="Leitfaden", file=SimpleUploadedFile("leitfaden.pdf", FAKE_PDF)
        )
    assert info.value.field == "file"
    assert not ToolAttachment.objects.exists() and tool.revisions.count() == 1
    with pytest.raises(DomainError) as info:
        services.attachment_add(tool=tool, user=editor, title="Programm", file=SimpleUploadedFile("x.exe", REAL_PDF))
    assert info.value.field == "file"
    attachment = services.attachment_add(
        tool=tool, user=editor, title="Leitfaden", file=SimpleUploadedFile("Leitfaden 2026.pdf", REAL_PDF)
    )
    assert attachment.content_type == "application/pdf" and attachment.size == len(REAL_PDF)
    assert tool.revisions.first().action == "attachment_added"
    path = attachment.file.path
    services.attachment_remove(attachment=attachment, user=editor)
    assert not ToolAttachment.objects.exists()
    assert tool.revisions.first().action == "attachment_removed"
    assert not os.path.exists(path)


def test_attachment_needs_a_title_and_an_editor(editor, reviewer):
    tool = draft(editor)
    with pytest.raises(DomainError) as info:
        services.attachment_add(tool=tool, user=editor, title=" ", file=SimpleUploadedFile("a.pdf", REAL_PDF))
    assert info.value.field == "title"
    with pytest.raises(DomainError):
        services.attachment_add(tool=tool, user=reviewer, title="A", file=SimpleUploadedFile("a.pdf", REAL_PDF))
    assert not ToolAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("clip.mp4", b"Dies ist kein Video" * 10),
        ("clip.mp4", WEBM_HEAD),
        ("clip.pdf", MP4_HEAD),
        ("clip.webm", REAL_PDF),
    ],
)
def test_video_rejects_everything_but_mp4_and_webm(editor, name, content):
    tool = draft(editor)
    with pytest.raises(DomainError) as info:
        services.video_set(tool=tool, user=editor, file=SimpleUploadedFile(name, content))
    assert info.value.field == "video_file"
    assert info.value.message == german("Only MP4 and WebM videos are allowed.")
    tool.refresh_from_db()
    assert not tool.video_file


def test_video_is_stored_under_the_tools_address(editor):
    tool = draft(editor)
    services.video_set(tool=tool, user=editor, file=SimpleUploadedFile("Mein Film.webm", WEBM_HEAD))
    tool.refresh_from_db()
    assert tool.video_file.name.startswith("toolbox/videos/generationendialog")
    assert tool.video_file.name.endswith(".webm")
    assert tool.revisions.first().action == "video_set"


# --- Topic fields -------------------------------------------------------------------------------------------


def test_topic_fields_are_saved_and_only_deleted_when_unused(editor, reviewer):
    topic = services.topic_save(user=editor, name="Mobilität", description="Bus, Bahn, Rad")
    assert topic.slug == "mobilitaet" and topic.position == 14
    with pytest.raises(DomainError):
        services.topic_save(user=editor, name="mobilität")
    with pytest.raises(DomainError):
        services.topic_save(user=reviewer, name="Kultur")
    ToolFactory(topics=["mobilitaet"])
    with pytest.raises(DomainError) as info:
        services.topic_delete(user=editor, topic=topic)
    assert info.value.message == german("This topic field still has tools. Move them to another topic field first.")
    assert TopicField.objects.filter(pk=topic.pk).exists()
    Tool.objects.all().delete()
    services.topic_delete(user=editor, topic=topic)
    assert not TopicField.objects.filter(pk=topic.pk).exists()


def test_a_topic_field_with_exchange_questions_is_not_deleted(editor):
    from tests.exchange.factories import QuestionFactory

    topic = services.topic_save(user=editor, name="Mobilität", description="Bus, Bahn, Rad")
    QuestionFactory(topic=topic)
    with pytest.raises(DomainError) as info:
        services.topic_delete(user=editor, topic=topic)
    assert info.value.message == german("Questions of the exchange belong to this topic field. It cannot be deleted.")
    assert TopicField.objects.filter(pk=topic.pk).exists()
