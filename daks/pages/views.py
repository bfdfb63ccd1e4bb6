from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error

from . import services
from .defaults import DEFAULT_PAGES, EASY_LANGUAGE_PAGES
from .forms import BarrierReportForm
from .models import Page


def _get_page(slug: str) -> Page:
    page = Page.objects.filter(slug=slug).first()
    if page is None:
        if slug not in DEFAULT_PAGES:
            raise Http404
        # A legal page must always exist: recreate it from the default text if it went missing.
        title, body = DEFAULT_PAGES[slug]
        page, _ = Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})
    return page


def page(request, slug):
    return render(
        request,
        "pages/page.html",
        {
            "page": _get_page(slug),
            "easy_language": slug in EASY_LANGUAGE_PAGES,
            "feedback": slug == "barrierefreiheit",
        },
    )


@require_http_methods(["GET", "POST"])
def barrier_report(request):
    """Report a barrier (the feedback mechanism of the accessibility statement); ``?seite=`` names the page."""
    form = BarrierReportForm(request.POST or None, initial={"page_url": request.GET.get("seite", "")[:500]})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            from daks.workshops.participation import RateLimited, address_key

            try:
                services.barrier_report_create(
                    description=form.cleaned_data["description"],
                    page_url=form.cleaned_data["page_url"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    honeypot=form.cleaned_data["homepage"],
                    address=address_key(request),
                    language=get_language() or "de",
                )
            except RateLimited as error:
                form.add_error(None, error.message)
                status = 429
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                return redirect("pages:barrier_report_thanks")
    response = render(request, "pages/barrier_report.html", {"form": form}, status=status)
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    return response


@require_GET
def barrier_report_thanks(request):
    return render(request, "pages/barrier_report_thanks.html")
