"""axe-core on every page: each URL pattern of the project (read from the resolver like the security walk, so a
new page is checked as soon as it exists) is filled with Kommune A's objects of the security walk's world and
opened in Chromium — workspace pages as A's Koordination, editorial pages as the editorial office, public and token
pages as A's Koordination and anonymously, account pages as A's Koordination. Every answer that is an HTML page
(200) must have 0 axe violations (WCAG 2.0/2.1 A and AA); downloads, htmx fragments, errors and POST-only views
are not pages and are skipped, and a redirect's target is checked once.
"""

from __future__ import annotations

import pytest

from daks.municipalities.models import Role

from ..security import classification as c
from ..security.conftest import CachedObjects
from ..security.kwargs import Unfilled, fill
from ..security.urlwalk import endpoints
from ..security.workspace import build_world
from .helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Classes whose pages look different to anonymous visitors (header, forms): they are checked both ways.
BOTH_WAYS = {c.PUBLIC, c.TOKEN}
# JSON and the API are not pages; the API's HTML pages (overview, interactive docs) are classified PUBLIC.
NOT_PAGES = {c.API_WORKSPACE, c.API_PUBLIC, c.API_ME}
# Fewer HTML pages than this means the walk stopped filling URLs properly (e.g. a broken world), not success.
MINIMUM_PAGES = 200


def _open_page(session, path: str) -> bool:
    """Open ``path`` if it is a whole HTML page of its own: 200, a document with a doctype (not a download, an
    htmx fragment or an error), not reached before. Asked without a browser first (no redirects followed): the
    browser then only opens pages."""
    response = session.page.request.get(session.base_url + path, max_redirects=0)
    if response.status != 200 or not response.headers.get("content-type", "").startswith("text/html"):
        return False
    if not response.text().lstrip().lower().startswith("<!doctype html"):
        return False
    session.page.goto(path)
    url = session.page.url.split("#", 1)[0]
    if url in session.axe_checked:
        return False
    session.axe_checked.add(url)
    return True


def test_every_page_passes_axe(new_session, settings):
    settings.DAKS_API_RATE_LIMITS = {"token": (100_000, 60), "address": (100_000, 60)}
    world = build_world()
    for side in (world.a, world.b):
        side.cached = CachedObjects(side)
    coordination = new_session()
    coordination.login(world.a.users[Role.COORDINATION])
    editorial = new_session()
    editorial.login(world.staff)
    anonymous = new_session()
    for session in (coordination, editorial, anonymous):
        session.axe_checked = set()

    checked: list[str] = []
    failures: list[str] = []
    for endpoint in endpoints():
        kind = c.classify(endpoint)
        if kind in NOT_PAGES or endpoint.name in {"account_logout", "set_language"}:
            continue
        try:
            path, _swapped = fill(endpoint, world)
        except Unfilled:
            continue  # test_url_walk fails for an unfilled URL; this walk need not say it twice
        sessions = [editorial] if kind == c.STAFF else [coordination]
        if kind in BOTH_WAYS:
            sessions.append(anonymous)
        for session in sessions:
            if not _open_page(session, path):
                continue
            try:
                assert_accessible(session.page, what=endpoint.name or endpoint.route)
            except pytest.fail.Exception as error:
                failures.append(str(error))
            checked.append(path)

    assert not failures, f"{len(failures)} of {len(checked)} pages with axe violations:\n" + "\n".join(failures)
    assert len(checked) >= MINIMUM_PAGES, f"only {len(checked)} HTML pages reached: {checked}"
