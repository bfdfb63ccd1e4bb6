"""Views of the comments: the thread (as a page and as an htmx fragment), posting and deleting.

Every write works with htmx (the thread is returned and swapped in place) and without JavaScript
(normal POST, then a redirect back to the page the thread was shown on).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view

from . import selectors, services
from .forms import CommentForm
from .mentions import render_body, team_handles
from .models import Comment
from .registry import anchor, get_commentable

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"
THREAD_TEMPLATE = "comments/includes/thread.html"


def thread_context(request, obj, *, form: CommentForm | None = None, next_url: str = "", status: str = "") -> dict:
    """Everything the thread template needs: two queries (comments with authors, the team's handles)."""
    commentable = get_commentable(obj)
    municipality = request.municipality
    user = request.user
    handles = team_handles(municipality)
    can_comment = user.has_perm(EDIT, municipality)
    html_id = anchor(obj)
    comments = selectors.thread(obj)
    for comment in comments:
        comment.municipality = municipality
        comment.html = None if comment.is_deleted else render_body(comment.body, handles)
        comment.deletable = services.can_delete(user, comment)
    return {
        "municipality": municipality,
        "object": obj,
        "commentable": commentable,
        "anchor": html_id,
        "comments": comments,
        "comment_count": sum(1 for comment in comments if not comment.is_deleted),
        "handles": sorted(handles.items()),
        "can_comment": can_comment,
        "form": form or (CommentForm(anchor=html_id, initial={"next": next_url}) if can_comment else None),
        "next_url": next_url,
        "status_message": status,
    }


def _object(request, model: str, object_pk: int):
    """The registered object, looked up through the Kommune of the URL (else 404)."""
    commentable = get_commentable(model)
    if commentable is None:
        raise Http404("Not commentable")
    obj = get_object_or_404(commentable.model.objects.all(), municipality=request.municipality, pk=object_pk)
    obj.municipality = request.municipality
    return obj


def _safe_next(request, candidate: str, fallback: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return fallback


def _after_write(request, obj, *, next_url: str, status: str):
    commentable = get_commentable(obj)
    if getattr(request, "htmx", False):
        context = thread_context(request, obj, next_url=next_url, status=status)
        return render(request, THREAD_TEMPLATE, context)
    if status:
        messages.success(request, status)
    target = _safe_next(request, next_url, commentable.thread_url(obj))
    if "#" not in target:
        target += f"#{anchor(obj)}"
    return redirect(target)


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def thread_page(request, model, object_pk):
    obj = _object(request, model, object_pk)
    context = thread_context(request, obj, next_url=request.get_full_path())
    if getattr(request, "htmx", False):
        return render(request, THREAD_TEMPLATE, context)
    return _render_page(request, obj, context)


def _render_page(request, obj, context, status=200):
    context["object_url"] = context["commentable"].url(obj)
    return render(request, "comments/thread_page.html", context, status=status)


@municipality_view(EDIT)
@require_POST
def comment_create(request, model, object_pk):
    obj = _object(request, model, object_pk)
    form = CommentForm(request.POST, anchor=anchor(obj))
    next_url = request.POST.get("next", "")
    if form.is_valid():
        try:
            services.comment_create(
                actor=request.user, municipality=request.municipality, obj=obj, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
            form._describe()
        else:
            return _after_write(request, obj, next_url=next_url, status=_("Your comment has been posted."))
    context = thread_context(request, obj, form=form, next_url=next_url)
    if getattr(request, "htmx", False):
        return render(request, THREAD_TEMPLATE, context)
    return _render_page(request, obj, context, status=400)


@municipality_view(VIEW)
@require_POST
def comment_delete(request, comment_pk):
    comment = get_object_or_404(
        Comment.objects.select_related("municipality", "content_type"), municipality=request.municipality, pk=comment_pk
    )
    obj = comment.target
    if obj is None or get_commentable(obj) is None or obj.municipality_id != request.municipality.pk:
        raise Http404("No such object")
    if comment.is_deleted:  # deleted twice (e.g. two tabs): nothing to do
        return _after_write(request, obj, next_url=request.POST.get("next", ""), status="")
    if not services.can_delete(request.user, comment):
        raise PermissionDenied
    services.comment_delete(actor=request.user, comment=comment)
    return _after_write(request, obj, next_url=request.POST.get("next", ""), status=_("The comment has been deleted."))
