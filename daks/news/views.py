"""News (Aktuelles): public list and detail pages (cookie-free, cacheable), the editorial office of the network
(write, publish, moderate submissions) and the submission of news by a Kommune.

Views are thin: they parse a form, call one service and show its German message when a rule is violated.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.caching import public_page
from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.richtext import render_markdown
from daks.core.tenancy import municipality_view
from daks.core.uploads import EXTENSIONS
from daks.municipalities.models import Municipality

from . import selectors, services
from .feeds import NewsAtomFeed, NewsRssFeed
from .forms import EditorialNewsForm, NewsEditForm, NewsForm, RejectForm
from .models import NewsItem, NewsKind, NewsStatus

EDITOR_PERM = services.EDITOR_PERM
PER_PAGE = 10
EDITORIAL_PER_PAGE = 50


def editorial_view(view):
    """Anonymous → login; signed in without ``network.edit_network`` → 403; editorial pages are never cached."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(EDITOR_PERM):
            response = render(request, "news/editorial/forbidden.html", status=403)
        else:
            response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True, no_store=True)
        return response

    return wrapper


# --- Public pages -----------------------------------------------------------------------------------------------


@public_page(max_age=300)
@require_GET
def news_list(request):
    kind = request.GET.get("art") or ""
    if kind not in NewsKind.values:
        kind = ""
    slug = (request.GET.get("kommune") or "")[:80]
    municipality = Municipality.objects.filter(slug=slug).only("name", "slug").first() if slug else None
    queryset = selectors.published_news(kind or None, municipality_slug=municipality.slug if municipality else None)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    query = {"art": kind, "kommune": municipality.slug if municipality else ""}
    query = {key: value for key, value in query.items() if value}
    return render(
        request,
        "news/list.html",
        {
            "page": page,
            "kind": kind,
            "municipality": municipality,
            "kinds": [("", _("All")), *NewsKind.choices],
            "page_query": f"{urlencode(query)}&" if query else "",
            "kommune_query": f"&kommune={municipality.slug}" if municipality else "",
        },
    )


@public_page(max_age=600)
@require_GET
def news_detail(request, slug):
    try:
        item = selectors.news_detail(slug)
    except NewsItem.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "news/detail.html",
        {
            "item": item,
            "body_html": render_markdown(item.body),
            "page_url": request.build_absolute_uri(item.get_absolute_url()),
            "image_url": item.image.url if item.image else "",  # made absolute by {% open_graph %}
            "can_edit": request.user.has_perm(EDITOR_PERM),
        },
    )


@public_page(max_age=3600)
@require_GET
def news_document(request, slug):
    """The document of a publication, as a download (``public_page``: cacheable only for anonymous visitors, who
    can only reach published items)."""
    try:
        item = selectors.news_document(slug, request.user)
    except NewsItem.DoesNotExist:
        raise Http404 from None
    return FileResponse(
        item.document.open("rb"),
        as_attachment=True,
        filename=f"{item.slug}.{EXTENSIONS.get(item.document_kind, 'bin')}",
        content_type=item.document_mimetype,
    )


feed_rss = public_page(max_age=900)(NewsRssFeed())
feed_atom = public_page(max_age=900)(NewsAtomFeed())


# --- Editorial office -------------------------------------------------------------------------------------------


def _item(pk: int) -> NewsItem:
    return get_object_or_404(NewsItem.objects.select_related("municipality", "author", "reviewed_by"), pk=pk)


def _edit_url(item: NewsItem) -> str:
    return reverse("news:editorial_edit", kwargs={"pk": item.pk})


@editorial_view
@require_GET
def editorial_index(request):
    status = request.GET.get("status") or ""
    if status not in NewsStatus.values:
        status = ""
    counts = selectors.status_counts()
    tabs = [("", _("All"), sum(counts.values()))] + [
        (value, label, counts.get(value, 0)) for value, label in NewsStatus.choices
    ]
    page = Paginator(selectors.editorial_news(status or None), EDITORIAL_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/editorial/index.html",
        {"queue": list(selectors.moderation_queue()), "tabs": tabs, "status": status, "page": page},
    )


@editorial_view
@require_http_methods(["GET", "POST"])
def editorial_create(request):
    form = EditorialNewsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            publish = form.cleaned_data["publish"]
            item = services.news_create(actor=request.user, publish=publish, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if item.is_published:
                messages.success(request, _("The news item has been published."))
            else:
                messages.success(request, _("The news item has been saved as a draft."))
            return redirect(_edit_url(item))
    status = 422 if request.method == "POST" else 200
    return render(request, "news/editorial/form.html", {"form": form, "item": None}, status=status)


@editorial_view
@require_http_methods(["GET", "POST"])
def editorial_edit(request, pk):
    item = _item(pk)
    if request.method == "POST":
        form = NewsEditForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                item = services.news_update(
                    actor=request.user,
                    item=item,
                    expected_version=form.cleaned_data["version"],
                    **form.service_kwargs(),
                )
            except services.EditConflict as conflict:
                form.show_conflict(conflict.current)
                apply_domain_error(form, conflict)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The news item has been saved."))
                return redirect(_edit_url(item))
        status = 422
    else:
        form = NewsEditForm(initial=NewsEditForm.initial_for(item))
        status = 200
    context = {
        "form": form,
        "item": item,
        "body_html": render_markdown(item.body),
        "reject_form": RejectForm(),
    }
    return render(request, "news/editorial/form.html", context, status=status)


def _transition(request, pk, action):
    item = _item(pk)
    try:
        action(item)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_edit_url(item))


@editorial_view
@require_POST
def editorial_publish(request, pk):
    def publish(item):
        services.news_publish(actor=request.user, item=item)
        messages.success(request, _("The news item has been published."))

    return _transition(request, pk, publish)


@editorial_view
@require_POST
def editorial_unpublish(request, pk):
    def unpublish(item):
        services.news_unpublish(actor=request.user, item=item)
        messages.success(request, _("The news item has been taken offline and is a draft again."))

    return _transition(request, pk, unpublish)


@editorial_view
@require_POST
def editorial_reject(request, pk):
    item = _item(pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.news_reject(actor=request.user, item=item, note=form.cleaned_data["note"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The submission has been rejected; the submitter has been informed."))
            return redirect("news:editorial_index")
    context = {
        "form": NewsEditForm(initial=NewsEditForm.initial_for(item)),
        "item": item,
        "body_html": render_markdown(item.body),
        "reject_form": form,
    }
    return render(request, "news/editorial/form.html", context, status=422)


# --- Submissions of a Kommune -----------------------------------------------------------------------------------


@require_GET
def submit_choose(request):
    """``/aktuelles/einreichen/?kommune=<slug>`` → the submission page of that Kommune; without it: a choice."""
    slug = request.GET.get("kommune") or ""
    if slug:
        return redirect("news:submit", municipality_slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    municipalities = [
        municipality
        for municipality in Municipality.objects.filter(memberships__user=request.user).order_by("name")
        if request.user.has_perm(services.MEMBER_PERM, municipality)
    ]
    return render(request, "news/workspace/choose.html", {"municipalities": municipalities})


@municipality_view(services.MEMBER_PERM)
@require_http_methods(["GET", "POST"])
def submit(request):
    form = NewsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.news_submit(actor=request.user, municipality=request.municipality, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you! “%(title)s” has been sent to the editorial office of the network. "
                    "It will be published after moderation."
                )
                % {"title": item.title},
            )
            return redirect("news:submissions", municipality_slug=request.municipality.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "news/workspace/submit.html", {"municipality": request.municipality, "form": form}, status=status
    )


@municipality_view("municipalities.view_municipality")
@require_GET
def submissions(request):
    return render(
        request,
        "news/workspace/submissions.html",
        {
            "municipality": request.municipality,
            "submissions": list(selectors.submissions_of(request.municipality)),
            "can_submit": request.user.has_perm(services.MEMBER_PERM, request.municipality),
        },
    )
