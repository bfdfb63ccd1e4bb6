import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth keeps rate limits and used TOTP codes in the cache: every test starts afresh."""
    cache.clear()
    yield
    cache.clear()


class _PageChecker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.headings = []
        self.label_for = set()
        self.inputs = []
        self.inline_scripts = 0
        self.style_attrs = 0
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.style_attrs += 1
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit", "button"}:
            self.inputs.append(attrs.get("id"))
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.inline_scripts += 1
        if tag == "style":
            self.inline_scripts += 1


def check_page(response):
    """German, one h1, headings in order, labelled inputs, nothing CSP would block. Returns the HTML."""
    html = response.content.decode()
    checker = _PageChecker()
    checker.feed(html)
    assert checker.html_lang == "de"
    assert checker.headings and checker.headings[0] == 1 and checker.headings.count(1) == 1, checker.headings
    for previous, current in zip(checker.headings, checker.headings[1:], strict=False):
        assert current <= previous + 1, f"heading jump h{previous} → h{current}"
    missing = [i for i in checker.inputs if i is None or i not in checker.label_for]
    assert not missing, f"inputs without <label for>: {missing}"
    assert checker.inline_scripts == 0
    assert checker.style_attrs == 0
    return html


@pytest.fixture
def page_check():
    return check_page


def find_link(body: str, path_fragment: str) -> str:
    match = re.search(r"https?://[^\s]+" + re.escape(path_fragment) + r"[^\s]*", body)
    assert match, f"no link with {path_fragment} in mail:\n{body}"
    return urlsplit(match.group(0)).path
