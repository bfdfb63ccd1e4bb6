"""Helpers of the browser suite: axe-core checks, mails from the outbox, loopback checks."""

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail

AXE_FILE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# Pages on which assert_accessible ran, per Playwright page (see the `tracked pages` in conftest.py).
_checked: dict[int, set[str]] = {}


def without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


@cache
def axe_source() -> str:
    return AXE_FILE.read_text(encoding="utf-8")


def assert_accessible(page, *, what: str = "") -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page and fail listing the violations."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol: not subject to the page's Content-Security-Policy.
        page.evaluate("(source) => { (0, eval)(source); }", axe_source())
    violations = page.evaluate(
        """async (tags) => {
            const result = await window.axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                count: v.nodes.length,
                targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    _checked.setdefault(id(page), set()).add(without_fragment(page.url))
    if violations:
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']} — {v['count']} element(s), e.g. {', '.join(v['targets'])}"
            for v in violations
        ]
        label = f"{what} " if what else ""
        pytest.fail(f"axe-core: {len(violations)} accessibility violation(s) on {label}{page.url}\n" + "\n".join(lines))


def checked_urls(page) -> set[str]:
    return _checked.get(id(page), set())


def visit(page, url: str, *, expect_status: int | None = 200):
    """Open ``url`` (absolute path on the live server), check the status and run axe-core."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    if expect_status is not None:
        assert response.status == expect_status, f"{url}: HTTP {response.status}, expected {expect_status}"
    assert_accessible(page)
    return response


def submit(page, form_selector: str, *, max_status: int = 399):
    """Press the submit button of the form, wait for the resulting page and check its HTTP status."""
    form = page.locator(form_selector)
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit], input[type=submit]").first.click()
    response = navigation.value
    if response is not None and response.status > max_status:
        heading = page.locator("h1").first.inner_text() if page.locator("h1").count() else page.content()[:500]
        pytest.fail(f"submitting {form_selector} gave HTTP {response.status} on {page.url}: {heading}")
    return response


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address.lower() in [to.lower() for to in message.to]]


def link_from_mail(address: str, path_pattern: str) -> str:
    """The path (+query) of the first link in the newest mail to ``address`` whose path matches the regex."""
    messages = mails_to(address)
    assert messages, f"no mail to {address} in the outbox (outbox: {[m.to for m in mail.outbox]})"
    for message in reversed(messages):
        bodies = [message.body] + [content for content, _mimetype in getattr(message, "alternatives", [])]
        for body in bodies:
            for url in re.findall(r"https?://[^\s<>\"')]+", body):
                parts = urlsplit(url)
                if re.search(path_pattern, parts.path):
                    return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(
        f"no link matching {path_pattern!r} in the mails to {address}:\n"
        + "\n---\n".join(f"{m.subject}\n{m.body}" for m in messages)
    )


def assert_loopback_only(urls: list[str]) -> None:
    outside = sorted(
        {
            url
            for url in urls
            if not url.startswith(("data:", "blob:", "about:")) and urlsplit(url).hostname not in LOOPBACK_HOSTS
        }
    )
    assert not outside, "requests left the loopback interface:\n" + "\n".join(outside)
