"""The editorial office of the Werkzeugkoffer: overview and moderation queue, writing and editing tools, the
workflow (draft → in review → published → archived), attachments and video, history and topic fields.

Only members of the editorial groups may enter (anonymous visitors are sent to the login, everybody else gets
403). Views are thin: they parse a form, call one service and show its German message when a rule is violated.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.richtext import render_markdown
from daks.strategy.models import Step

from . import selectors, services
from .forms_editorial import FIELD_LABELS, AttachmentForm, ToolForm, TopicFieldForm, TransitionForm, VideoForm
from .models import Level, SizeClass, Tool, ToolAttachment, ToolRevision, ToolStatus, ToolType, TopicField
from .video import external_video

ACCESS = "toolbox.access_editorial"
EDIT = "toolbox.edit_tools"
PER_PAGE = 50
#: Long fields the lists do not show.
UNLISTED_FIELDS = ("body", "keywords", "search_vector", "contact", "review_note")

#: The words of the history for the actions the services record.
ACTION_LABELS = {
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("edited"),
    "submit": gettext_lazy("submitted for review"),
    "publish": gettext_lazy("published"),
    "return": gettext_lazy("returned for revision"),
    "archive": gettext_lazy("archived"),
    "restore": gettext_lazy("restored as draft"),
    "submitted": gettext_lazy("submitted by a municipality"),
    "resubmitted": gettext_lazy("revised and submitted again by the municipality"),
    "attachment_added": gettext_lazy("attachment added"),
    "attachment_removed": gettext_lazy("attachment removed"),
    "video_set": gettext_lazy("video uploaded"),
    "loaded": gettext_lazy("loaded from the editorial files"),
}

#: Button labels and success messages of the workflow actions.
TRANSITION_BUTTONS = {
    "submit": gettext_lazy("Submit for review"),
    "publish": gettext_lazy("Publish"),
    "return": gettext_lazy("Return for revision"),
    "archive": gettext_lazy("Archive"),
    "restore": gettext_lazy("Restore as draft"),
}
TRANSITION_MESSAGES = {
    "submit": gettext_lazy("The tool has been submitted for review."),
    "publish": gettext_lazy("The tool has been published."),
    "return": gettext_lazy("The tool has been returned to the editors as a draft."),
    "archive": gettext_lazy("The tool has been archived."),
    "restore": gettext_lazy("The tool has been restored as a draft."),
}


def editorial_view(permission: str = ACCESS):
    """Anonymous → login; signed in without ``permission`` → 403; editorial pages are never cached."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                response = render(request, "toolbox/editorial/forbidden.html", status=403)
            else:
                response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True, no_store=True)
            return response

        return wrapper

    return decorator


def _tool(pk: int) -> Tool:
    return get_object_or_404(
        Tool.objects.select_related("origin_municipality", "submitted_by", "review_requested_by").prefetch_related(
            "topics", "step_links", "size_links", "related", "attachments"
        ),
        pk=pk,
    )


def _tool_url(tool: Tool) -> str:
    return reverse("toolbox_editorial:tool", kwargs={"pk": tool.pk})


# --- Overview ------------------------------------------------------------------------------------------------


@editorial_view()
def index(request):
    status = request.GET.get("status") or ""
    if status not in ToolStatus.values:
        status = ""
    counts = selectors.status_counts()
    tabs = [("", _("All"), sum(counts.values()))] + [
        (value, label, counts.get(value, 0)) for value, label in ToolStatus.choices
    ]
    tools = selectors.editorial_tools(status or None).defer(*UNLISTED_FIELDS)
    page = Paginator(tools, PER_PAGE).get_page(request.GET.get("page"))
    queue = list(
        selectors.editorial_tools(ToolStatus.REVIEW)
        .filter(submitted_by__isnull=False)
        .defer(*UNLISTED_FIELDS)
        .order_by("created_at")
    )
    return render(
        request,
        "toolbox/editorial/index.html",
        {"status": status, "tabs": tabs, "page": page, "queue": queue},
    )


# --- Create and edit -------------------------------------------------------------------------------------------


def _preview(request, form: ToolForm, tool: Tool | None):
    """The rendered text: of the submitted form when "Preview" was pressed, else of the stored tool."""
    if request.method == "POST" and "preview" in request.POST:
        return render_markdown(form.data.get("body", ""))
    return render_markdown(tool.body) if tool is not None else None


@editorial_view(EDIT)
@require_http_methods(["GET", "POST"])
def create(request):
    form = ToolForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and "preview" not in request.POST:
            try:
                tool = services.tool_create(user=request.user, data=form.service_data())
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(
                    request, _("The tool “%(title)s” has been created as a draft.") % {"title": tool.title}
                )
                return redirect(_tool_url(tool))
        status = 200 if "preview" in request.POST and form.is_valid() else 400
    return render(
        request,
        "toolbox/editorial/tool_form.html",
        {"form": form, "tool": None, "preview": _preview(request, form, None)},
        status=status,
    )


@editorial_view(EDIT)
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    tool = _tool(pk)
    status = 200
    if request.method == "POST":
        form = ToolForm(request.POST, tool=tool)
        if form.is_valid() and "preview" not in request.POST:
            try:
                services.tool_update(
                    tool=tool, user=request.user, data=form.service_data(), version=form.cleaned_data["version"]
                )
            except services.EditConflict as conflict:
                form.show_conflict(conflict.current)
                apply_domain_error(form, conflict)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The tool has been saved."))
                return redirect(_tool_url(tool))
        status = 200 if "preview" in request.POST and form.is_valid() else 400
    else:
        form = ToolForm(tool=tool, initial=ToolForm.initial_for(tool))
    return render(
        request,
        "toolbox/editorial/tool_form.html",
        {"form": form, "tool": tool, "preview": _preview(request, form, tool)},
        status=status,
    )


# --- The editorial page of a tool: workflow, attachments, video -------------------------------------------------


def _render_tool(request, tool: Tool, *, attachment_form=None, video_form=None, action_error=None, status=200):
    actions = services.allowed_actions(tool, request.user)
    return render(
        request,
        "toolbox/editorial/tool.html",
        {
            "tool": tool,
            "body_html": render_markdown(tool.body),
            "external_video": external_video(tool.video_url),
            "actions": [(action, TRANSITION_BUTTONS[action]) for action in actions],
            "action_error": action_error,
            "attachment_form": attachment_form or AttachmentForm(),
            "video_form": video_form or VideoForm(),
            "can_edit": request.user.has_perm(EDIT),
        },
        status=status,
    )


@editorial_view()
def tool(request, pk):
    return _render_tool(request, _tool(pk))


@editorial_view()
@require_POST
def transition(request, pk):
    tool = _tool(pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown workflow step."))
        return redirect(_tool_url(tool))
    action = form.cleaned_data["action"]
    try:
        services.tool_transition(tool=tool, user=request.user, action=action, note=form.cleaned_data["note"])
    except DomainError as error:
        error_state = {"action": action, "message": error.message, "field": error.field, "note": form.data.get("note")}
        return _render_tool(request, tool, action_error=error_state, status=400)
    messages.success(request, TRANSITION_MESSAGES[action])
    return redirect(_tool_url(tool))


@editorial_view(EDIT)
@require_POST
def attachment_add(request, pk):
    tool = _tool(pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                tool=tool, user=request.user, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The attachment has been added."))
            return redirect(f"{_tool_url(tool)}#attachments")
    return _render_tool(request, tool, attachment_form=form, status=400)


@editorial_view(EDIT)
@require_POST
def attachment_remove(request, pk, attachment_pk):
    attachment = get_object_or_404(ToolAttachment.objects.select_related("tool"), pk=attachment_pk, tool_id=pk)
    services.attachment_remove(attachment=attachment, user=request.user)
    messages.success(request, _("The attachment “%(title)s” has been removed.") % {"title": attachment.title})
    return redirect(f"{_tool_url(attachment.tool)}#attachments")


@editorial_view()
def attachment_download(request, pk, attachment_pk):
    """Attachments of tools in any state (the public address only serves those of published tools)."""
    item = get_object_or_404(ToolAttachment.objects.select_related("tool"), pk=attachment_pk, tool_id=pk)
    extension = item.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"{item.tool.slug}-{item.pk}.{extension}",
        content_type=item.content_type or "application/octet-stream",
    )


@editorial_view(EDIT)
@require_POST
def video_upload(request, pk):
    tool = _tool(pk)
    form = VideoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.video_set(tool=tool, user=request.user, file=form.cleaned_data["video_file"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The video has been uploaded."))
            return redirect(f"{_tool_url(tool)}#video")
    return _render_tool(request, tool, video_form=form, status=400)


# --- History ---------------------------------------------------------------------------------------------------


def _action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@editorial_view()
def history(request, pk):
    tool = get_object_or_404(Tool, pk=pk)
    revisions = list(selectors.tool_history(tool))
    for revision in revisions:
        revision.action_label = _action_label(revision.action)
        revision.changed_labels = [str(FIELD_LABELS.get(name, name)) for name in revision.changed_fields or []]
    return render(request, "toolbox/editorial/history.html", {"tool": tool, "revisions": revisions})


def _snapshot_rows(snapshot: dict) -> list[tuple[str, object]]:
    """(label, value) for every field of a stored snapshot, values in words (names instead of slugs)."""
    topics = dict(TopicField.objects.filter(slug__in=snapshot.get("topics") or []).values_list("slug", "name"))
    related = dict(Tool.objects.filter(slug__in=snapshot.get("related") or []).values_list("slug", "title"))
    labels = {
        "tool_type": dict(ToolType.choices),
        "effort": dict(Level.choices),
        "cost": dict(Level.choices),
    }
    rows = []
    for name in services.SNAPSHOT_FIELDS:
        value = snapshot.get(name, "")
        if name in labels:
            value = labels[name].get(value, value)
        elif name == "topics":
            value = ", ".join(topics.get(slug, slug) for slug in value)
        elif name == "steps":
            value = ", ".join(str(dict(Step.choices).get(step, step)) for step in value)
        elif name == "sizes":
            value = ", ".join(str(dict(SizeClass.choices).get(size, size)) for size in value)
        elif name == "related":
            value = ", ".join(related.get(slug, slug) for slug in value)
        elif name == "target_groups":
            value = ", ".join(value)
        elif name == "body":
            value = render_markdown(value)
        rows.append((name, FIELD_LABELS[name], value))
    return rows


@editorial_view()
def revision(request, pk, revision_pk):
    item = get_object_or_404(ToolRevision.objects.select_related("tool", "author"), pk=revision_pk, tool_id=pk)
    item.action_label = _action_label(item.action)
    item.changed_labels = [str(FIELD_LABELS.get(name, name)) for name in item.changed_fields or []]
    return render(
        request,
        "toolbox/editorial/revision.html",
        {"tool": item.tool, "revision": item, "rows": _snapshot_rows(item.snapshot or {})},
    )


# --- Topic fields ------------------------------------------------------------------------------------------------


def _render_topics(request, *, form=None, status=200):
    return render(
        request,
        "toolbox/editorial/topics.html",
        {
            "topics": list(selectors.topic_fields_with_counts()),
            "form": form or TopicFieldForm(),
            "can_edit": request.user.has_perm(EDIT),
        },
        status=status,
    )


@editorial_view()
def topics(request):
    return _render_topics(request)


@editorial_view(EDIT)
@require_POST
def topic_create(request):
    form = TopicFieldForm(request.POST)
    if form.is_valid():
        try:
            topic = services.topic_save(user=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The topic field “%(name)s” has been added.") % {"name": topic.name})
            return redirect("toolbox_editorial:topics")
    return _render_topics(request, form=form, status=400)


@editorial_view(EDIT)
@require_http_methods(["GET", "POST"])
def topic_edit(request, topic_pk):
    topic = get_object_or_404(TopicField, pk=topic_pk)
    if request.method == "POST":
        form = TopicFieldForm(request.POST)
        if form.is_valid():
            try:
                services.topic_save(user=request.user, topic=topic, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The topic field has been saved."))
                return redirect("toolbox_editorial:topics")
        status = 400
    else:
        form = TopicFieldForm(initial={"name": topic.name, "description": topic.description})
        status = 200
    return render(request, "toolbox/editorial/topic_form.html", {"form": form, "topic": topic}, status=status)


@editorial_view(EDIT)
@require_POST
def topic_delete(request, topic_pk):
    topic = get_object_or_404(TopicField, pk=topic_pk)
    name = topic.name
    try:
        services.topic_delete(user=request.user, topic=topic)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The topic field “%(name)s” has been deleted.") % {"name": name})
    return redirect("toolbox_editorial:topics")
