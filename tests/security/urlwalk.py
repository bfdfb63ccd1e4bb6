"""Every URL pattern of the project, read from the resolver at collection time (new URLs join the walk by themselves).

An ``Endpoint`` knows its name ("namespace:name"), its route as written (``kommunen/<slug:municipality_slug>/…``),
a format string to build a concrete path from kwargs, the kwarg names in order, and — for views wrapped with
``daks.core.tenancy.municipality_view`` — the permission the wrapper checks (read from the wrapper's closure, so
the walk knows which roles of Kommune A must get 403 without a hand-written list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

from daks.core.tenancy import municipality_view

# The Django admin is not walked: it is Django's own code, guarded by ``admin.site.has_permission`` (is_staff) for
# every one of its ~300 generated URLs; test_url_walk.py checks its entrance for anonymous users and members once.
SKIPPED_PREFIXES = ("admin/",)

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Endpoint:
    name: str  # "namespace:name" ("" for unnamed patterns)
    route: str  # the concatenated route as written, e.g. "kommunen/<slug:municipality_slug>/team/"
    template: str  # "kommunen/%(municipality_slug)s/team/"
    kwargs: tuple[str, ...]
    callback: object
    permission: str | None  # the permission of municipality_view, None if the view is not wrapped with it

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]

    @property
    def kommune_scoped(self) -> bool:
        return self.permission is not None

    @property
    def tenancy_first(self) -> bool:
        """``municipality_view`` is the outermost wrapper: it refuses non-members (404) and members without the
        permission (403) before any method check of the view, so one request per person proves it for all methods."""
        return getattr(self.callback, "__code__", None) is _wrapper_code()

    def path(self, values: dict) -> str:
        return "/" + self.template % {name: values[name] for name in self.kwargs}

    def prefix_before(self, kwarg: str) -> str:
        """The route up to the kwarg, with the other parameters reduced to their names: the context that tells
        what an ambiguous kwarg such as ``pk`` or ``token`` refers to."""
        head = self.template.split(f"%({kwarg})s", 1)[0]
        return re.sub(r"%\((\w+)\)s", r"<\1>", head)


def _piece(pattern) -> str:
    """A format string for one pattern of the chain."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route).replace("%", "%%")
        return _ROUTE_PARAM.sub(lambda match: f"%({match['name']})s", route)
    if isinstance(pattern, RegexPattern):
        return normalize(pattern.regex.pattern)[0][0]
    raise TypeError(f"Unknown URL pattern type {type(pattern)!r}")  # e.g. LocalePrefixPattern: teach the walk


@cache
def _wrapper_code():
    return municipality_view("x")(lambda request: None).__code__


def permission_of(callback) -> str | None:
    """The permission ``municipality_view`` checks for this view (looked for along the ``__wrapped__`` chain)."""
    code = _wrapper_code()
    for _depth in range(20):
        if callback is None:
            return None
        if getattr(callback, "__code__", None) is code:
            cells = dict(zip(code.co_freevars, (cell.cell_contents for cell in callback.__closure__), strict=True))
            return cells["permission"]
        callback = getattr(callback, "__wrapped__", None)
    return None


def _walk(patterns, route="", template="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(
                pattern.url_patterns,
                route + str(pattern.pattern),
                template + _piece(pattern.pattern),
                inner or namespace,
            )
        elif isinstance(pattern, URLPattern):
            full_template = template + _piece(pattern.pattern)
            yield Endpoint(
                name=f"{namespace}:{pattern.name}" if namespace else (pattern.name or ""),
                route=route + str(pattern.pattern),
                template=full_template,
                kwargs=tuple(re.findall(r"%\((\w+)\)s", full_template)),
                callback=pattern.callback,
                permission=permission_of(pattern.callback),
            )


@cache
def endpoints() -> tuple[Endpoint, ...]:
    found = [e for e in _walk(get_resolver().url_patterns) if not e.route.startswith(SKIPPED_PREFIXES)]
    # django-ninja registers one pattern per operation; operations on the same path share it (GET list, POST
    # create): the walk requests each path once and sends every method.
    unique: dict[str, Endpoint] = {}
    for endpoint in found:
        unique.setdefault(endpoint.template, endpoint)
    return tuple(unique.values())


def endpoint_id(endpoint: Endpoint) -> str:
    """A readable, unique test id: the URL name, with the route where two patterns share a name."""
    names = [e.name for e in endpoints()]
    if endpoint.name and names.count(endpoint.name) == 1:
        return endpoint.name
    return f"{endpoint.name or '-'} {endpoint.route}"
