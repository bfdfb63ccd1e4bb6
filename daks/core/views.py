import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from daks.municipalities import selectors as municipality_selectors
from daks.plans import selectors as plan_selectors
from daks.strategy import task_selectors

logger = logging.getLogger(__name__)


@require_GET
@never_cache
def healthz(request):
    """Liveness/readiness for load balancers: 200 with the database reachable, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:
        logger.exception("Health check: database unavailable")
        database = "unavailable"
    ok = database == "ok"
    return JsonResponse(
        {"status": "ok" if ok else "error", "database": database, "vendor": connection.vendor},
        status=200 if ok else 503,
    )


def home(request):
    return render(request, "core/home.html")


@login_required
def dashboard(request):
    memberships = list(municipality_selectors.memberships_for_user(request.user))
    return render(
        request,
        "core/dashboard.html",
        {
            "memberships": memberships,
            "teams": municipality_selectors.teams_for_user(request.user),
            "pending_join_requests": municipality_selectors.pending_join_requests_of_user(request.user),
            "open_tasks": list(task_selectors.open_tasks_for_user(request.user)),
            "my_measures": list(plan_selectors.my_measures(request.user)[:50]),
        },
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the database may be the reason we are here.
    import sys

    from django.template import loader

    from .faults import fault_response

    # A database outage or a full disk raised outside a view (e.g. by the session middleware): 503/507 instead.
    fault = fault_response(request, sys.exc_info()[1], log=False)
    if fault is not None:
        return fault

    template = loader.get_template("500.html")
    from django.http import HttpResponseServerError

    return HttpResponseServerError(template.render({}, None))


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form was sent with a missing or stale security token (e.g. after a long pause)."""
    return render(request, "403_csrf.html", status=403)
