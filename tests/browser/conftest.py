"""Browser suite: Debian's Chromium driven by Playwright against pytest-django's live server.

Run with ``make test-browser`` (or ``DAKS_TESTING=true .venv/bin/pytest -m browser tests/browser``).
Needs /usr/bin/chromium and axe-core in tests/browser/node_modules (``bash scripts/browser-deps.sh``
fetches it); without them the tests are skipped — under CI=true they fail instead. Playwright never
downloads a browser of its own.

Every page a test opens must be checked with ``assert_accessible(page)`` (helpers.py): the ``new_page``
fixture records each navigation and fails the test when a visited page was not checked. It also fails the
test when a page requested anything outside the loopback interface, violated the Content-Security-Policy
or raised a JavaScript error.
"""

import os
from pathlib import Path

import pytest
from django.test import Client

from .helpers import AXE_FILE, assert_loopback_only, checked_urls, without_fragment

CHROMIUM = Path(os.environ.get("DAKS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def _is_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1"}


def pytest_collection_modifyitems(items):
    """Every browser test must restore the serialised database (``serialized_rollback=True``): a transactional
    test without it flushes with post_migrate, which recreates the content types under new ids, and every
    later serialised test then fails in its setup (UNIQUE constraint on django_content_type)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if item.get_closest_marker("browser") is None or marker is None:
            continue
        if marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    if not AXE_FILE.exists():
        missing.append(f"{AXE_FILE} is missing (run: bash scripts/browser-deps.sh)")
    if missing:
        message = "browser suite needs: " + "; ".join(missing)
        if _is_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test itself
    # (factories, assertions) are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _live_server_settings(settings, live_server):
    """Links in mails point to the live server; it speaks plain HTTP, so cookies must not be Secure-only."""
    settings.DAKS_BASE_URL = live_server.url
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


class BrowserSession:
    """One browser context (one person) with its page and everything recorded about it."""

    def __init__(self, context, base_url):
        self.context = context
        self.base_url = base_url
        self.requests: list[str] = []
        self.visited: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))
        self.page = context.new_page()
        self.page.set_default_timeout(DEFAULT_TIMEOUT_MS)
        self.page.on("framenavigated", self._navigated)
        self.page.on("pageerror", lambda error: self.errors.append(f"JavaScript error: {error}"))
        self.page.on("console", self._console)

    def _navigated(self, frame):
        if frame.parent_frame is None and frame.url.startswith("http"):
            url = without_fragment(frame.url)
            if not self.visited or self.visited[-1] != url:
                self.visited.append(url)

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(f"CSP violation on {self.page.url}: {message.text}")

    def unchecked_pages(self) -> list[str]:
        checked = checked_urls(self.page)
        return [url for url in dict.fromkeys(self.visited) if url not in checked]

    def login(self, user):
        """Sign ``user`` in by handing the browser a session cookie (for tests that are not about signing in)."""
        from django.conf import settings

        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": self.base_url,
                }
            ]
        )


@pytest.fixture
def new_session(request, browser, live_server):
    """``new_session()`` opens a fresh browser context (locale de-DE) on the live server."""
    sessions: list[BrowserSession] = []

    def make() -> BrowserSession:
        context = browser.new_context(
            base_url=live_server.url,
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport={"width": 1280, "height": 900},
        )
        session = BrowserSession(context, live_server.url)
        sessions.append(session)
        return session

    yield make

    problems = []
    passed = getattr(getattr(request.node, "rep_call", None), "passed", False)
    for session in sessions:
        if passed:
            unchecked = session.unchecked_pages()
            if unchecked:
                problems.append("pages visited without assert_accessible(page): " + ", ".join(unchecked))
            problems.extend(session.errors)
            try:
                assert_loopback_only(session.requests)
            except AssertionError as error:
                problems.append(str(error))
        session.context.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def session(new_session) -> BrowserSession:
    return new_session()


@pytest.fixture
def page(session):
    return session.page
