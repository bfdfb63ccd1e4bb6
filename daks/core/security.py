"""Security middleware of DAKS (docs/security.md).

* ``ClientAddressMiddleware`` — behind ``DAKS_TRUSTED_PROXY_COUNT`` own reverse proxies, the client's address is
  taken from ``X-Forwarded-For`` (counted from the right, so a client cannot forge it), so that the rate limits
  of sign-in, registration and the public forms count per visitor and not per proxy.
* ``PermissionsPolicyMiddleware`` — the ``Permissions-Policy`` header: browser features no DAKS page uses
  (camera, microphone, geolocation …) are switched off for every page and every embedded frame.
* ``SessionTimeoutMiddleware`` — a session ends after ``DAKS_SESSION_IDLE_MINUTES`` without a request and at the
  latest ``SESSION_COOKIE_AGE`` seconds after signing in; the next page (usually the login page) says why.
  The time of the last request is stored in the session at most once a minute, so reading pages does not
  write the session on every request.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.translation import gettext as _

#: Session keys: when the session was signed in and when it was last used (Unix seconds).
STARTED_KEY = "daks_session_started"
LAST_ACTIVITY_KEY = "daks_last_activity"
#: The time of the last request is written to the session at most this often (seconds).
TOUCH_INTERVAL = 60


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = getattr(settings, "DAKS_TRUSTED_PROXY_COUNT", 0)
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if proxies > 0 and forwarded:
            addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
            if addresses:
                # Each own proxy appends the address it received the request from: the client's address is the
                # proxies-th entry from the right; anything further left may be made up by the client.
                request.META["REMOTE_ADDR"] = addresses[-min(proxies, len(addresses))]
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "DAKS_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


# --- Session timeout ----------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="daks.core.security.session_started")
def _session_started(sender, request, user, **kwargs):
    """Every sign-in starts the clocks of the idle and the absolute timeout."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED_KEY] = now
        request.session[LAST_ACTIVITY_KEY] = now


def session_expiry(session, now: int) -> str | None:
    """``"idle"`` or ``"absolute"`` when the signed-in ``session`` has expired at ``now``, else None."""
    idle = getattr(settings, "DAKS_SESSION_IDLE_MINUTES", 0) * 60
    last = session.get(LAST_ACTIVITY_KEY)
    started = session.get(STARTED_KEY)
    if idle > 0 and isinstance(last, int) and now - last > idle:
        return "idle"
    if isinstance(started, int) and now - started > settings.SESSION_COOKIE_AGE:
        return "absolute"
    return None


def expiry_message(reason: str) -> str:
    if reason == "idle":
        minutes = settings.DAKS_SESSION_IDLE_MINUTES
        return _(
            "You have been signed out because you were inactive for more than %(minutes)s minutes. "
            "Please sign in again."
        ) % {"minutes": minutes}
    hours = round(settings.SESSION_COOKIE_AGE / 3600)
    return _("You have been signed out because your session ended after %(hours)s hours. Please sign in again.") % {
        "hours": hours
    }


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        # Only signed-in sessions: SESSION_KEY is looked up without loading the user.
        if session is not None and SESSION_KEY in session:
            now = int(time.time())
            reason = session_expiry(session, now)
            if reason is not None:
                logout(request)
                messages.info(request, expiry_message(reason))
                if request.headers.get("HX-Request") == "true":
                    # An htmx fragment must not be replaced by the login page: the whole page goes there.
                    current = urlsplit(request.headers.get("HX-Current-URL", ""))
                    next_url = current.path + (f"?{current.query}" if current.query else "") if current.path else "/"
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = redirect_to_login(next_url)["Location"]
                    return response
            else:
                last = session.get(LAST_ACTIVITY_KEY)
                if not isinstance(last, int) or now - last >= TOUCH_INTERVAL:
                    session[LAST_ACTIVITY_KEY] = now
                    if not isinstance(session.get(STARTED_KEY), int):
                        session[STARTED_KEY] = now
        return self.get_response(request)
