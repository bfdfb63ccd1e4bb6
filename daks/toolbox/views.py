"""Public pages of the Werkzeugkoffer: search and tool pages, cookie-free and cacheable for visitors."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from daks.core.caching import public_page
from daks.core.richtext import render_markdown

from . import selectors, semantic
from .models import Tool, ToolAttachment
from .video import external_video


def _active_filters(request, result) -> list[tuple[str, str]]:
    """(label, URL without this choice) for every chosen facet value, for the "remove filter" links."""
    active = []
    for name in selectors.FACETS:
        for value in result.facets[name]:
            if value.selected:
                query = request.GET.copy()
                query.setlist(name, [v for v in query.getlist(name) if v != value.value])
                query.pop("page", None)
                active.append((value.label, f"?{query.urlencode()}"))
    return active


def _page_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@public_page(max_age=300)
def search(request):
    params = selectors.SearchParams.from_querydict(request.GET)
    result = selectors.search_tools(params)
    return render(
        request,
        "toolbox/search.html",
        {
            "result": result,
            "params": params,
            "sorts": [(key, label) for key, (label, _order) in selectors.SORTS.items()],
            "facet_titles": {
                "topic": _("Topic field"),
                "type": _("Type"),
                "step": _("Process step"),
                "size": _("Size of the municipality"),
            },
            "active_filters": _active_filters(request, result),
            "page_query": _page_query(request),
            "meaning_available": semantic.available(),
        },
    )


@public_page(max_age=600)
def detail(request, slug):
    try:
        tool = selectors.tool_detail(slug)
    except Tool.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "toolbox/detail.html",
        {
            "tool": tool,
            "body_html": render_markdown(tool.body),
            "used_by": selectors.used_by_count(tool),
            "origin_url": selectors.origin_url(tool),
            "events": selectors.events_with_material(tool),
            "external_video": external_video(tool.video_url),
            "page_url": request.build_absolute_uri(tool.get_absolute_url()),
        },
    )


@public_page(max_age=3600)
def attachment(request, slug, attachment_pk):
    item = get_object_or_404(
        ToolAttachment.objects.select_related("tool"), pk=attachment_pk, tool__slug=slug, tool__status="published"
    )
    extension = item.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"{item.tool.slug}-{item.pk}.{extension}",
        content_type=item.content_type or "application/octet-stream",
    )
