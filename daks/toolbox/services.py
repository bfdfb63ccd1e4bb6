"""Writes of the Werkzeugkoffer: tools and their workflow, attachments, topic fields, submissions of Kommunen,
links between measures and tools, and loading the editorial content.

Every function is keyword-only, runs in one transaction, raises DomainError with a German message when a rule
is violated (nothing is written then), records a revision of the tool where its content or status changes and
keeps the search index in step.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.errors import EditConflict as BaseEditConflict
from daks.core.text import german_slugify
from daks.core.uploads import validate_document

from . import search, semantic
from .content import ToolSource
from .models import (
    MeasureTool,
    SizeClass,
    Tool,
    ToolAttachment,
    ToolEmbedding,
    ToolRevision,
    ToolSize,
    ToolStatus,
    ToolStep,
    TopicField,
)
from .rules import is_toolbox_editor, is_toolbox_reviewer
from .selectors import drop_facet_index

ATTACHMENT_KINDS = ("pdf", "odt", "docx")
#: Addresses a tool cannot have: /werkzeugkoffer/redaktion/ is the editorial office.
RESERVED_SLUGS = {"redaktion"}
VIDEO_MAX_BYTES = 200 * 1024 * 1024

#: The fields a revision records (the snapshot), in the order the history shows changes.
SNAPSHOT_FIELDS = [
    "title",
    "teaser",
    "body",
    "tool_type",
    "topics",
    "steps",
    "sizes",
    "effort",
    "cost",
    "target_groups",
    "origin_municipality",
    "contact",
    "video_url",
    "related",
    "last_reviewed",
]


class EditConflict(BaseEditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this tool in the meantime. Reload the page, check the changes and enter yours again."
    )


def _require(predicate, user) -> None:
    if not predicate(user):
        raise DomainError(_("You are not allowed to do this in the editorial office of the toolbox."))


def snapshot(tool: Tool) -> dict:
    return {
        "title": tool.title,
        "teaser": tool.teaser,
        "body": tool.body,
        "tool_type": tool.tool_type,
        "topics": sorted(topic.slug for topic in tool.topics.all()),
        "steps": sorted(link.step for link in tool.step_links.all()),
        "sizes": sorted(link.size for link in tool.size_links.all()),
        "effort": tool.effort,
        "cost": tool.cost,
        "target_groups": list(tool.target_groups or []),
        "origin_municipality": tool.origin_municipality.name if tool.origin_municipality_id else "",
        "contact": tool.contact,
        "video_url": tool.video_url,
        "related": sorted(other.slug for other in tool.related.all()),
        "last_reviewed": tool.last_reviewed.isoformat() if tool.last_reviewed else "",
    }


def _with_content(queryset):
    """Tools with everything ``snapshot`` reads."""
    return queryset.select_related("origin_municipality").prefetch_related(
        "topics", "step_links", "size_links", "related"
    )


def _record(tool: Tool, *, user, action: str, note: str = "", previous: dict | None = None) -> ToolRevision:
    tool = _with_content(Tool.objects).get(pk=tool.pk)
    current = snapshot(tool)
    changed = [name for name in SNAPSHOT_FIELDS if previous is None or previous.get(name) != current[name]]
    search.index_tools([tool])
    schedule_embedding([tool.pk])
    log_action("toolbox.tool.changed", actor=user, obj=tool, tool=tool.pk, step=action, status=tool.status)
    return ToolRevision.objects.create(
        tool=tool,
        author=user if user is not None and user.is_authenticated else None,
        action=action,
        status=tool.status,
        changed_fields=changed if previous is not None else [],
        snapshot=current,
        note=note,
    )


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = german_slugify(title, max_length=100) or "werkzeug"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Tool.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _clean(data: dict) -> dict:
    data = dict(data)
    for key, label in (("title", _("a title")), ("teaser", _("a teaser")), ("body", _("a text"))):
        data[key] = (data.get(key) or "").strip()
        if not data[key]:
            raise DomainError(_("Please enter %(what)s.") % {"what": label}, field=key)
    if not data.get("topics"):
        raise DomainError(_("Please choose at least one topic field."), field="topics")
    if not data.get("steps"):
        raise DomainError(_("Please choose at least one process step."), field="steps")
    data["target_groups"] = [group.strip() for group in data.get("target_groups") or [] if group.strip()]
    return data


def _apply(tool: Tool, data: dict) -> None:
    for name in ("title", "teaser", "body", "tool_type", "effort", "cost", "target_groups", "contact", "video_url"):
        if name in data:
            setattr(tool, name, data[name])
    if "origin_municipality" in data:
        tool.origin_municipality = data["origin_municipality"]
    if "last_reviewed" in data:
        tool.last_reviewed = data["last_reviewed"]
    tool.save()
    tool.topics.set(data["topics"])
    ToolStep.objects.filter(tool=tool).exclude(step__in=data["steps"]).delete()
    existing = set(ToolStep.objects.filter(tool=tool).values_list("step", flat=True))
    ToolStep.objects.bulk_create([ToolStep(tool=tool, step=step) for step in data["steps"] if step not in existing])
    sizes = data.get("sizes") or []
    ToolSize.objects.filter(tool=tool).exclude(size__in=sizes).delete()
    existing = set(ToolSize.objects.filter(tool=tool).values_list("size", flat=True))
    ToolSize.objects.bulk_create([ToolSize(tool=tool, size=size) for size in sizes if size not in existing])
    if "related" in data:
        tool.related.set([other for other in data["related"] if other.pk != tool.pk])


@transaction.atomic
def tool_create(*, user, data: dict) -> Tool:
    """A new draft of the editorial office."""
    _require(is_toolbox_editor, user)
    data = _clean(data)
    slug = (data.get("slug") or "").strip() or _unique_slug(data["title"])
    if slug in RESERVED_SLUGS or Tool.objects.filter(slug=slug).exists():
        raise DomainError(_("Another tool already uses this address."), field="slug")
    tool = Tool(slug=slug, status=ToolStatus.DRAFT, is_editorial=True)
    _apply(tool, data)
    _record(tool, user=user, action="created")
    return tool


@transaction.atomic
def tool_update(*, tool: Tool, user, data: dict, version: str) -> Tool:
    _require(is_toolbox_editor, user)
    current = Tool.objects.select_for_update().get(pk=tool.pk)
    if version != current.version:
        raise EditConflict(current)
    data = _clean(data)
    previous = snapshot(_with_content(Tool.objects).get(pk=tool.pk))
    _apply(current, data)
    _record(current, user=user, action="updated", previous=previous)
    return current


# --- Workflow ---------------------------------------------------------------------------------------------

#: action → (allowed source states, target state)
TRANSITIONS = {
    "submit": ({ToolStatus.DRAFT}, ToolStatus.REVIEW),
    "publish": ({ToolStatus.REVIEW}, ToolStatus.PUBLISHED),
    "return": ({ToolStatus.REVIEW}, ToolStatus.DRAFT),
    "archive": ({ToolStatus.PUBLISHED, ToolStatus.REVIEW, ToolStatus.DRAFT}, ToolStatus.ARCHIVED),
    "restore": ({ToolStatus.ARCHIVED}, ToolStatus.DRAFT),
}


def allowed_actions(tool: Tool, user) -> list[str]:
    """The workflow actions ``user`` may take on ``tool`` now (for the buttons of the editorial page)."""
    actions = []
    for action, (sources, _target) in TRANSITIONS.items():
        if tool.status not in sources:
            continue
        if action in ("publish", "return"):
            if is_toolbox_reviewer(user) and (action == "return" or tool.review_requested_by_id != user.pk):
                actions.append(action)
        elif action == "archive":
            if is_toolbox_editor(user) or is_toolbox_reviewer(user):
                actions.append(action)
        elif is_toolbox_editor(user):
            actions.append(action)
    return actions


@transaction.atomic
def tool_transition(*, tool: Tool, user, action: str, note: str = "", today: datetime.date | None = None) -> Tool:
    """Move ``tool`` through draft → in review → published → archived.

    Only reviewers publish or return a tool, and never one whose review they requested themselves (four-eyes
    principle); returning needs a note for the author.
    """
    if action not in TRANSITIONS:
        raise DomainError(_("Unknown workflow step."))
    current = Tool.objects.select_for_update().get(pk=tool.pk)
    sources, target = TRANSITIONS[action]
    if current.status not in sources:
        raise DomainError(
            _("This is not possible while the tool is “%(status)s”.") % {"status": current.get_status_display()}
        )
    note = (note or "").strip()
    if action in ("publish", "return"):
        _require(is_toolbox_reviewer, user)
        if action == "publish" and current.review_requested_by_id == user.pk:
            raise DomainError(
                _("You requested this review yourself: another member of the editorial office must publish it.")
            )
        if action == "return" and not note:
            raise DomainError(_("Please tell the author what should be changed."), field="note")
    elif action == "archive":
        _require(lambda u: is_toolbox_editor(u) or is_toolbox_reviewer(u), user)
    else:
        _require(is_toolbox_editor, user)
    current.status = target
    if action == "submit":
        current.review_requested_by = user
    if action == "publish":
        current.published_at = timezone.now()
        current.last_reviewed = today or timezone.localdate()
    if action in ("return", "publish"):
        current.review_note = note
    current.save()
    _record(current, user=user, action=action, note=note)
    return current


# --- Submissions of Kommunen ---------------------------------------------------------------------------


@transaction.atomic
def tool_submit_from_municipality(*, municipality, user, data: dict, credit_name: bool) -> Tool:
    """A Kommune submits its own best practice; it goes straight into review, credited to the Kommune (and to
    the author by name if they agreed)."""
    if not user.has_perm("municipalities.edit_content", municipality):
        raise DomainError(_("Only members who may edit the content of this municipality can submit tools."))
    data = _clean(data)
    data["origin_municipality"] = municipality
    name = user.get_full_name() or user.email
    tool = Tool(
        slug=_unique_slug(data["title"]),
        status=ToolStatus.REVIEW,
        submitted_by=user,
        review_requested_by=user,
        credit=f"{name}, {municipality.name}" if credit_name else municipality.name,
    )
    _apply(tool, data)
    _record(tool, user=user, action="submitted")
    log_action("toolbox.tool.submitted_by_municipality", actor=user, municipality=municipality, obj=tool)
    return tool


def returned_submission(*, municipality, pk) -> Tool | None:
    """A submission of ``municipality`` that the editorial office returned for revision, or None."""
    return (
        _with_content(Tool.objects)
        .filter(pk=pk, origin_municipality=municipality, is_editorial=False, submitted_by__isnull=False)
        .filter(status=ToolStatus.DRAFT)
        .first()
    )


@transaction.atomic
def submission_resubmit(*, municipality, user, tool: Tool, data: dict, version: str, credit_name: bool) -> Tool:
    """The Kommune revises a submission the editorial office returned and sends it to review again."""
    if not user.has_perm("municipalities.edit_content", municipality):
        raise DomainError(_("Only members who may edit the content of this municipality can submit tools."))
    current = Tool.objects.select_for_update().get(pk=tool.pk)
    if current.origin_municipality_id != municipality.pk or current.is_editorial or current.status != ToolStatus.DRAFT:
        raise DomainError(_("This submission is no longer waiting for your revision."))
    if version != current.version:
        raise EditConflict(current)
    data = _clean(data)
    previous = snapshot(_with_content(Tool.objects).get(pk=tool.pk))
    name = user.get_full_name() or user.email
    current.credit = f"{name}, {municipality.name}" if credit_name else municipality.name
    current.status = ToolStatus.REVIEW
    current.review_requested_by = user
    _apply(current, data)
    _record(current, user=user, action="resubmitted", previous=previous)
    log_action("toolbox.tool.resubmitted_by_municipality", actor=user, municipality=municipality, obj=current)
    return current


# --- Attachments and video -----------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, tool: Tool, user, title: str, file) -> ToolAttachment:
    _require(is_toolbox_editor, user)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Please give the attachment a title."), field="title")
    try:
        checked = validate_document(file, allowed=ATTACHMENT_KINDS)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="file") from error
    attachment = ToolAttachment(tool=tool, title=title, size=len(checked.content), content_type=checked.mimetype)
    attachment.file.save(checked.filename, ContentFile(checked.content), save=False)
    attachment.save()
    _record(tool, user=user, action="attachment_added", note=title)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ToolAttachment, user) -> None:
    _require(is_toolbox_editor, user)
    tool, title = attachment.tool, attachment.title
    attachment.file.delete(save=False)
    attachment.delete()
    _record(tool, user=user, action="attachment_removed", note=title)


def _video_kind(head: bytes) -> str | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    return None


@transaction.atomic
def video_set(*, tool: Tool, user, file) -> Tool:
    """A self-hosted video (MP4 or WebM, checked by content, at most 200 MB)."""
    _require(is_toolbox_editor, user)
    size = getattr(file, "size", None) or 0
    if size > VIDEO_MAX_BYTES:
        raise DomainError(_("The video is larger than 200 MB."), field="video_file")
    file.seek(0)
    kind = _video_kind(file.read(16))
    file.seek(0)
    extension = (getattr(file, "name", "") or "").rsplit(".", 1)[-1].lower()
    if kind is None or extension not in ({"mp4", "m4v"} if kind == "mp4" else {"webm"}):
        raise DomainError(_("Only MP4 and WebM videos are allowed."), field="video_file")
    # Only the video changes: a concurrent edit of the text is not overwritten with this (older) object.
    if tool.video_file:
        tool.video_file.delete(save=False)
    tool.video_file.save(f"{tool.slug}.{kind}", file, save=False)
    tool.save(update_fields=["video_file", "updated_at"])
    _record(tool, user=user, action="video_set")
    return tool


# --- Topic fields ------------------------------------------------------------------------------------------


@transaction.atomic
def topic_save(*, user, name: str, description: str = "", topic: TopicField | None = None) -> TopicField:
    _require(is_toolbox_editor, user)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Please enter a name."), field="name")
    if TopicField.objects.filter(name__iexact=name).exclude(pk=getattr(topic, "pk", None)).exists():
        raise DomainError(_("A topic field with this name already exists."), field="name")
    if topic is None:
        base = german_slugify(name, max_length=50) or "thema"
        slug, number = base, 2
        while TopicField.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        position = (TopicField.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        topic = TopicField(slug=slug, position=position)
    topic.name, topic.description = name, (description or "").strip()
    topic.save()
    tools = list(Tool.objects.filter(topics=topic).prefetch_related("topics"))
    search.index_tools(tools)
    schedule_embedding([tool.pk for tool in tools])  # the topic names are part of the embedded text
    log_action("toolbox.topic.saved", actor=user, obj=topic)
    return topic


@transaction.atomic
def topic_delete(*, user, topic: TopicField) -> None:
    _require(is_toolbox_editor, user)
    if topic.tools.exists():
        raise DomainError(_("This topic field still has tools. Move them to another topic field first."))
    from daks.exchange.models import Question  # the exchange's board per topic field (protects the topic)

    if Question.objects.filter(topic=topic).exists():
        raise DomainError(_("Questions of the exchange belong to this topic field. It cannot be deleted."))
    log_action("toolbox.topic.deleted", actor=user, obj=topic)
    topic.delete()
    drop_facet_index()  # the topic facet lists the topic fields


# --- Measures ------------------------------------------------------------------------------------------------


@transaction.atomic
def measure_tool_link(*, municipality, measure, tool: Tool, user) -> MeasureTool:
    if measure.plan.municipality_id != municipality.pk:
        raise DomainError(_("This measure does not belong to this municipality."))
    if not tool.is_published:
        raise DomainError(_("Only published tools can be linked."))
    if MeasureTool.objects.filter(measure=measure, tool=tool).exists():
        raise DomainError(_("This tool is already linked to the measure."))
    try:
        with transaction.atomic():
            link = MeasureTool.objects.create(municipality=municipality, measure=measure, tool=tool, created_by=user)
    except IntegrityError as error:  # a concurrent identical link
        raise DomainError(_("This tool is already linked to the measure.")) from error
    log_action(
        "plans.measure.tool_linked",
        actor=user,
        municipality=municipality,
        obj=measure,
        tool=tool.title,
        process=measure.plan.process_id,
    )
    return link


@transaction.atomic
def measure_tool_unlink(*, municipality, measure, tool: Tool, user) -> None:
    deleted, _rows = MeasureTool.objects.filter(municipality=municipality, measure=measure, tool=tool).delete()
    if not deleted:
        raise DomainError(_("This tool is not linked to the measure."))
    log_action(
        "plans.measure.tool_unlinked",
        actor=user,
        municipality=municipality,
        obj=measure,
        tool=tool.title,
        process=measure.plan.process_id,
    )


# --- Editorial content -------------------------------------------------------------------------------------


@transaction.atomic
def toolbox_load(*, sources: list[ToolSource], today: datetime.date | None = None) -> tuple[int, int]:
    """Create or update the editorial tools from their files (matched by slug); all or nothing.

    Returns (created, updated). Tools edited in the application keep their later revisions in the history;
    loading again overwrites their content with the files' content.
    """
    today = today or timezone.localdate()
    topics = {topic.slug: topic for topic in TopicField.objects.all()}
    missing = sorted({slug for source in sources for slug in source.topics} - set(topics))
    if missing:
        raise DomainError(_("Unknown topic fields: %(slugs)s") % {"slugs": ", ".join(missing)})
    existing = {tool.slug: tool for tool in Tool.objects.filter(slug__in=[source.slug for source in sources])}
    created = updated = 0
    tools: dict[str, Tool] = {}
    for source in sources:
        tool = existing.get(source.slug)
        if tool is None:
            tool = Tool(slug=source.slug, status=ToolStatus.PUBLISHED, published_at=timezone.now(), is_editorial=True)
            created += 1
        else:
            updated += 1
        tool.last_reviewed = tool.last_reviewed or today
        _apply(
            tool,
            {
                "title": source.title,
                "teaser": source.teaser,
                "body": source.body,
                "tool_type": source.tool_type,
                "effort": source.effort,
                "cost": source.cost,
                "target_groups": source.target_groups,
                "topics": [topics[slug] for slug in source.topics],
                "steps": source.steps,
                "sizes": source.sizes or list(SizeClass.values),
            },
        )
        tools[source.slug] = tool
    for source in sources:
        tools[source.slug].related.set([tools[slug] for slug in source.related])
    loaded = list(_with_content(Tool.objects.filter(pk__in=[tool.pk for tool in tools.values()])))
    search.index_tools(loaded)
    ToolRevision.objects.bulk_create(
        [ToolRevision(tool=tool, action="loaded", status=tool.status, snapshot=snapshot(tool)) for tool in loaded]
    )
    return created, updated


# --- Semantic search -----------------------------------------------------------------------------------------


def schedule_embedding(tool_ids: list[int]) -> None:
    """Queue the computation of the tools' vectors for after the commit (nothing without the semantic search)."""
    if tool_ids and semantic.available():
        from .tasks import embed_tools_task

        ids = sorted(set(tool_ids))
        transaction.on_commit(lambda: embed_tools_task.enqueue(ids))


def embed_tools(*, tools=None, progress=None, batch_size: int = 8) -> int:
    """Compute and store the vectors of the semantic search for ``tools`` (default: all) whose embedded text
    (``semantic.passage_text``) or model changed since their vector was stored; returns how many were computed.

    Tools of every status get a vector (a draft is then ready when it is published). Each batch of ``batch_size``
    tools is written in its own transaction (unless called inside one), so an interrupted run keeps what it
    computed and the next one goes on. ``progress(done, total)`` is called after every batch. About 0.17 s per
    tool on one CPU thread (docs/toolbox.md); nothing without the semantic search."""
    if not semantic.available():
        return 0
    tools = Tool.objects.all() if tools is None else tools
    if isinstance(tools, QuerySet):
        tools = tools.prefetch_related("topics")
    tools = list(tools)
    stored = {
        tool_id: (digest, model)
        for tool_id, digest, model in ToolEmbedding.objects.filter(tool_id__in=[tool.pk for tool in tools]).values_list(
            "tool_id", "text_hash", "model"
        )
    }
    todo = []
    for tool in tools:
        text = semantic.passage_text(tool)
        digest = semantic.text_hash(text)
        if stored.get(tool.pk) != (digest, semantic.MODEL_NAME):
            todo.append((tool.pk, text, digest))
    done = 0
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        vectors = semantic.embed_passages([text for _pk, text, _digest in batch])
        with transaction.atomic():
            ids = [pk for pk, _text, _digest in batch]
            existing = set(Tool.objects.filter(pk__in=ids).values_list("pk", flat=True))
            for (pk, _text, digest), vector in zip(batch, vectors, strict=True):
                if pk in existing:  # not deleted in the meantime
                    values = {"vector": semantic.to_bytes(vector), "text_hash": digest, "model": semantic.MODEL_NAME}
                    ToolEmbedding.objects.update_or_create(tool_id=pk, defaults=values)
        done += len(batch)
        if progress is not None:
            progress(done, len(todo))
    if todo:
        drop_facet_index()  # every process rebuilds its matrix of vectors (semantic index) with the new version
    return len(todo)
