"""HTTP caching and CORS of the API (``/api/``): ETag/Last-Modified with 304 answers for every successful GET,
and CORS for the public read-only endpoints.

The public endpoints (everything but ``/api/v1/municipalities/…`` and the token-authenticated requests) may be
read from any origin: ``Access-Control-Allow-Origin: *`` without credentials, preflights answered here. Token
requests get ``Cache-Control: private, no-store``; no cookie is ever needed or set.
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

API_PREFIX = "/api/"
PRIVATE_PREFIX = "/api/v1/municipalities/"
PUBLIC_MAX_AGE = 300
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After, Content-Language"


def _is_public(request) -> bool:
    return not request.path.startswith(PRIVATE_PREFIX) and "HTTP_AUTHORIZATION" not in request.META


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


class ApiHttpMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        public = _is_public(request)
        if request.method == "OPTIONS" and public and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "86400"
            return _cors(response)
        response = self.get_response(request)
        if request.method in ("GET", "HEAD"):
            if response.status_code == 200 and not response.streaming:
                if not response.has_header("ETag"):
                    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
                last_modified = getattr(request, "daks_last_modified", None)
                if last_modified is not None and not response.has_header("Last-Modified"):
                    response["Last-Modified"] = http_date(last_modified)
                if public:
                    response.setdefault("Cache-Control", f"public, max-age={PUBLIC_MAX_AGE}")
                else:
                    response["Cache-Control"] = "private, no-store"
                response = get_conditional_response(
                    request,
                    etag=response.get("ETag"),
                    last_modified=last_modified,
                    response=response,
                )
            if public:
                patch_vary_headers(response, ("Accept-Language", "Authorization"))
                _cors(response)
        return response
