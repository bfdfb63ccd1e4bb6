"""Rate limits of the API, per token and per (hashed) client address: 429 with ``Retry-After``.

Fixed windows in the shared cache, like the rate limits of public participation. The limits are settings
(``DAKS_API_RATE_LIMITS``, requests per window in seconds) so an installation can tune them.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from ninja.throttling import BaseThrottle

DEFAULT_API_RATE_LIMITS = {
    "token": (600, 60),  # requests per token per minute
    "address": (300, 60),  # requests per client address per minute (anonymous and token requests)
}


def api_limit(name: str) -> tuple[int, int]:
    return getattr(settings, "DAKS_API_RATE_LIMITS", {}).get(name, DEFAULT_API_RATE_LIMITS[name])


class WindowThrottle(BaseThrottle):
    name = ""

    def __init__(self):
        self._local = threading.local()  # the wait of the current request (ninja asks ``wait()`` right after)

    def ident(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        ident = self.ident(request)
        if ident is None:
            return True
        limit, seconds = api_limit(self.name)
        now = time.time()
        window = int(now // seconds)
        key = f"daks:api:{self.name}:{ident}:{window}"
        if cache.add(key, 1, timeout=seconds + 5):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired in between
                cache.set(key, 1, timeout=seconds + 5)
                count = 1
        if count > limit:
            self._local.wait = max(1.0, (window + 1) * seconds - now)
            return False
        return True

    def wait(self):
        return getattr(self._local, "wait", None)

    def __deepcopy__(self, memo):  # one instance per API is enough: state lives on the request
        return self


class TokenThrottle(WindowThrottle):
    name = "token"

    def ident(self, request):
        token = getattr(request, "api_token", None)
        return token.token_hash[:32] if token is not None else None


class AddressThrottle(WindowThrottle):
    name = "address"

    def ident(self, request):
        return salted_hmac("daks.api.address", request.META.get("REMOTE_ADDR", "")).hexdigest()[:32]
