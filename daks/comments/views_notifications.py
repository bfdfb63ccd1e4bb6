"""The signed-in person's notifications (e.g. mentions in comments): list, open, mark as read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .models import Notification

PER_PAGE = 25


def _own(request, pk) -> Notification:
    """Only one's own notifications exist (anybody else's: 404)."""
    return get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), PER_PAGE).get_page(request.GET.get("seite"))
    return render(
        request,
        "comments/notification_list.html",
        {"page": page, "notifications": page.object_list, "has_unread": any(not n.is_read for n in page)},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_open(request, pk):
    """Mark as read and go to the notification's page — only ever a page of DAKS itself (no open redirect)."""
    notification = _own(request, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    messages.error(request, _("The link of this notification leads outside DAKS and is not opened."))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_read(request, pk):
    services.notification_mark_read(user=request.user, notification=_own(request, pk))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")
