"""The newsletter: subscription with double opt-in, confirmation and unsubscribe links, the public archive and the
editorial office (compose, preview, send by a worker task, progress).

The token pages (confirm, unsubscribe) ask for a click on a button before anything changes (mail scanners that
open links must not subscribe or unsubscribe anybody). They are exempt from CSRF — the secret token in the
address is the proof — so they set no cookie; the unsubscribe address also accepts the one-click POST of mail
programs (RFC 8058, header ``List-Unsubscribe-Post``).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.caching import public_page
from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.richtext import render_markdown
from daks.workshops.participation import RateLimited, address_key

from . import selectors, services
from .forms import IssueForm, SendForm, SubscribeForm
from .mailing import issue_news, render_issue
from .models import IssueStatus, NewsletterIssue, SubscriberStatus
from .views import editorial_view

ARCHIVE_PER_PAGE = 20


def _private(request, response):
    """Token pages: never cached, not indexed, no referrer leaking the token."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _token_page(request, template, context, status=200):
    request.cookie_free = True
    return _private(request, render(request, template, context, status=status))


# --- Subscription -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def subscribe(request):
    """The subscription form (not cookie-free: it POSTs with a CSRF token)."""
    form = SubscribeForm(request.POST or None)
    status, error = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_spam:
            error = _("Your subscription was not saved. Please leave the last field empty.")
        elif form.is_valid():
            try:
                services.subscriber_subscribe(
                    email=form.cleaned_data["email"],
                    consent=form.cleaned_data["consent"],
                    address=address_key(request),
                    language=translation.get_language() or "de",
                )
            except RateLimited as limited:
                status, error = 429, limited.message
            except DomainError as domain_error:
                apply_domain_error(form, domain_error)
            else:
                return redirect("newsletter:thanks")
    response = render(request, "newsletter/subscribe.html", {"form": form, "error": error}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@public_page(max_age=3600)
@require_GET
def thanks(request):
    return render(request, "newsletter/thanks.html")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        if request.method == "POST":
            services.subscriber_confirm(token=token)
            return _token_page(request, "newsletter/confirmed.html", {})
        services.subscriber_for_confirm_token(token)
    except (services.TokenInvalid, services.TokenExpired) as error:
        context = {"message": error.message, "expired": isinstance(error, services.TokenExpired)}
        return _token_page(request, "newsletter/token_error.html", context, status=error.status)
    return _token_page(request, "newsletter/confirm.html", {"token": token})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        if request.method == "POST":
            services.subscriber_unsubscribe(token=token)
            return _token_page(request, "newsletter/unsubscribed.html", {})
        subscriber = services.subscriber_for_unsubscribe_token(token)
    except services.TokenInvalid as error:
        return _token_page(
            request, "newsletter/token_error.html", {"message": error.message, "expired": False}, status=error.status
        )
    context = {"token": token, "already": subscriber.status == SubscriberStatus.UNSUBSCRIBED}
    return _token_page(request, "newsletter/unsubscribe.html", context)


# --- Archive ----------------------------------------------------------------------------------------------------


@public_page(max_age=600)
@require_GET
def archive(request):
    page = Paginator(selectors.archive_issues(), ARCHIVE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "newsletter/archive.html", {"page": page})


@public_page(max_age=3600)
@require_GET
def archive_detail(request, pk):
    try:
        issue = selectors.archive_issue(pk)
    except NewsletterIssue.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "newsletter/archive_detail.html",
        {"issue": issue, "body_html": render_markdown(issue.body), "news": issue_news(issue)},
    )


# --- Editorial office -------------------------------------------------------------------------------------------


def _issue(pk: int) -> NewsletterIssue:
    return get_object_or_404(NewsletterIssue.objects.prefetch_related("news_items"), pk=pk)


def _issue_url(issue: NewsletterIssue) -> str:
    return reverse("newsletter:editorial_issue", kwargs={"pk": issue.pk})


@editorial_view
@require_GET
def editorial_index(request):
    return render(
        request,
        "newsletter/editorial/index.html",
        {"issues": list(selectors.editorial_issues()), "counts": selectors.subscriber_counts()},
    )


@editorial_view
@require_http_methods(["GET", "POST"])
def editorial_create(request):
    form = IssueForm(request.POST or None, news_choices=selectors.recent_news_choices())
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The newsletter issue has been saved. Check the preview before sending."))
            return redirect(_issue_url(issue))
    status = 422 if request.method == "POST" else 200
    return render(request, "newsletter/editorial/issue.html", {"form": form, "issue": None}, status=status)


def _issue_context(issue, **extra) -> dict:
    preview = render_issue(issue, unsubscribe_url="#", language=translation.get_language() or "de")
    return {
        "issue": issue,
        "preview_html": render_markdown(issue.body),
        "preview_text": preview.text,
        "news": issue_news(issue),
        "counts": selectors.subscriber_counts(),
        **extra,
    }


def _draft_form(issue, choices=None) -> IssueForm:
    if choices is None:
        choices = selectors.recent_news_choices(include=issue.news_items.all())
    initial = {
        "subject": issue.subject,
        "body": issue.body,
        "news_items": list(issue.news_items.all()),
        "version": issue.version,
    }
    return IssueForm(initial=initial, news_choices=choices)


@editorial_view
@require_http_methods(["GET", "POST"])
def editorial_issue(request, pk):
    issue = _issue(pk)
    choices = selectors.recent_news_choices(include=issue.news_items.all())
    status = 200
    if request.method == "POST":
        form = IssueForm(request.POST, news_choices=choices)
        if form.is_valid():
            try:
                version = form.cleaned_data["version"]
                issue = services.issue_update(
                    actor=request.user, issue=issue, expected_version=version, **form.service_kwargs()
                )
            except services.EditConflict as conflict:
                form.show_conflict(conflict.current)
                apply_domain_error(form, conflict)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The newsletter issue has been saved."))
                return redirect(_issue_url(issue))
        status = 422
    else:
        form = _draft_form(issue, choices)
    context = _issue_context(issue, form=form if issue.status == IssueStatus.DRAFT else None, send_form=SendForm())
    if request.htmx and request.GET.get("fragment") == "progress":
        return render(request, "newsletter/editorial/issue.html#progress", context)
    return render(request, "newsletter/editorial/issue.html", context, status=status)


@editorial_view
@require_POST
def editorial_send(request, pk):
    issue = _issue(pk)
    if issue.status == IssueStatus.SENDING:
        try:
            services.issue_send_resume(actor=request.user, issue=issue)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Sending has been resumed."))
        return redirect(_issue_url(issue))
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            services.issue_send_start(actor=request.user, issue=issue)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The issue is being sent. The progress is shown below."))
            return redirect(_issue_url(issue))
    draft_form = _draft_form(issue) if issue.status == IssueStatus.DRAFT else None
    context = _issue_context(issue, form=draft_form, send_form=form)
    return render(request, "newsletter/editorial/issue.html", context, status=422)
