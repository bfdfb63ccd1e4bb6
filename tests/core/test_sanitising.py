"""Rich text and markup: where HTML is output unescaped, the source is sanitised (nh3) or escaped before.

Two inventories make new unsafe uses fail until somebody has reviewed them:

* every ``|safe``/``|safeseq`` and ``{% autoescape off %}`` in the project's templates (autoescape off only in
  plain-text templates: mails, README);
* every ``mark_safe(``/``SafeString(`` in the Python code.

Each reviewed source is then exercised with a hostile payload.
"""

import html.parser
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.template.utils import get_app_template_dirs
from hypothesis import given
from hypothesis import strategies as st

from daks.core.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, render_markdown
from tests.fuzz.strategies import FUZZ

ROOT = Path(settings.BASE_DIR)
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'

#: template (relative to its templates folder) → the reviewed ``|safe`` expressions, with the reason.
SAFE_IN_TEMPLATES = {
    # json.dumps of django-ninja's static Swagger settings and the schema URL: no user input.
    "api/swagger.html": ["swagger_settings|safe"],
    # SVG from segno (participation.qr_svg): the URL is ours, the title is escaped by segno (tested below).
    "workshops/participation/link_present.html": ["qr|safe"],
    "workshops/participation/link_detail.html": ["qr|safe"],
}

#: Python file → number of ``mark_safe(``/``SafeString(`` calls, each reviewed: the text is escaped or sanitised.
MARK_SAFE_IN_CODE = {
    "daks/core/richtext.py": 1,  # nh3.clean of Markdown rendered without raw HTML
    "daks/comments/mentions.py": 1,  # escape() of the comment, then <strong> for known mentions
    "daks/toolbox/search.py": 2,  # html.escape() of the text, then <mark> around hits
    "daks/demography/charts.py": 2,  # SVG charts: every text through escape()
    "daks/plans/monitoring_charts.py": 2,  # SVG charts: texts through _text/_attrs
    "daks/plans/timeline.py": 1,  # SVG timeline: texts through _text/_attrs
    "daks/plans/presentation.py": 2,  # SafeString(html.escape(value)) and facts built from escaped values
    "daks/reviews/result_charts.py": 1,  # SVG charts: texts through _text/_attrs/_open_svg
    "daks/strategy/actor_charts.py": 1,  # stakeholder matrix: every text through escape()
    "daks/workshops/participation.py": 1,  # vote results chart: texts through _text/_attrs/_open_svg
}

_SAFE_FILTER = re.compile(r"([\w.]+)\s*\|\s*(safe|safeseq)\b")
_AUTOESCAPE_OFF = re.compile(r"{%\s*autoescape\s+off\s*%}")
_MARK_SAFE = re.compile(r"\b(mark_safe|SafeString)\(")


def project_templates():
    """(relative name, path) of every template file of the project (not of installed packages)."""
    folders = [*get_app_template_dirs("templates"), *(d for engine in settings.TEMPLATES for d in engine["DIRS"])]
    for folder in map(Path, folders):
        folder = folder.resolve()
        if ROOT not in folder.parents or ".venv" in folder.parts or "node_modules" in folder.parts:
            continue
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".html", ".txt", ".xml", ".svg", ".ics", ".md"):
                yield path.relative_to(folder).as_posix(), path


def test_the_inventory_sees_the_templates():
    names = {name for name, _path in project_templates()}
    assert "base.html" in names and "api/swagger.html" in names and len(names) > 100


def test_safe_filter_only_where_reviewed():
    found = {}
    for name, path in project_templates():
        uses = [match.group(0).replace(" ", "") for match in _SAFE_FILTER.finditer(path.read_text())]
        if uses:
            found[name] = uses
    assert found == SAFE_IN_TEMPLATES, (
        "A template outputs a value unescaped (|safe). Escape it, or sanitise its source with "
        "daks.core.richtext/nh3, review it and add it to SAFE_IN_TEMPLATES with the reason."
    )


def test_autoescape_off_only_in_plain_text_templates():
    html_templates = [
        name for name, path in project_templates() if path.suffix != ".txt" and _AUTOESCAPE_OFF.search(path.read_text())
    ]
    assert html_templates == []


def test_mark_safe_only_where_reviewed():
    found = Counter()
    for path in (ROOT / "daks").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        count = sum(1 for line in text.splitlines() if _MARK_SAFE.search(line) and not line.lstrip().startswith("#"))
        if count > 0:
            found[path.relative_to(ROOT).as_posix()] = count
    assert dict(found) == MARK_SAFE_IN_CODE, (
        "mark_safe/SafeString changed: escape or sanitise the text first, then update MARK_SAFE_IN_CODE."
    )


# --- The reviewed sources with a hostile payload -------------------------------------------------------------------


class _Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_sanitised(output: str) -> None:
    collector = _Collector()
    collector.feed(str(output))
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
            if name == "href" and ":" in (value or "").split("/")[0]:
                assert value.split(":", 1)[0].lower() in URL_SCHEMES, value
    assert "<script" not in str(output).lower()


MARKDOWN_PIECES = st.sampled_from(
    [
        PAYLOAD,
        "<iframe src=//evil.example>",
        "[klick](javascript:alert(1))",
        "[klick](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![bild](https://evil.example/pixel.gif)",
        "<a href='https://ok.example' onclick='x()'>ok</a>",
        '<svg onload="alert(1)">',
        "**fett** _kursiv_ `code`",
        "# Titel\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        "<style>body{display:none}</style>",
        "&lt;script&gt;",
        "\n\n",
        "<!-- kommentar -->",
    ]
)


@FUZZ
@given(st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=20)), max_size=6).map("".join))
def test_render_markdown_output_is_sanitised(text):
    assert_sanitised(render_markdown(text))


def test_render_markdown_keeps_ordinary_formatting():
    output = str(render_markdown("# Ziele\n\n**Mehr** [Infos](https://example.org)"))
    assert "<h2>Ziele</h2>" in output and "<strong>Mehr</strong>" in output
    assert 'href="https://example.org"' in output and 'rel="noopener noreferrer"' in output


def test_comment_bodies_are_escaped():
    from daks.comments.mentions import render_body

    output = str(render_body(PAYLOAD + "\n@anna", {"anna": object()}))
    assert "<script" not in output and "<img" not in output and "&lt;script&gt;" in output
    assert '<strong class="mention">@anna</strong>' in output


def test_search_highlights_are_escaped():
    from daks.toolbox.search import highlight, parse_query

    output = str(highlight(PAYLOAD + " Zukunftswerkstatt", parse_query("zukunftswerkstatt")))
    assert "<script" not in output and "<img" not in output and "<mark>" in output


def test_qr_code_title_is_escaped():
    from daks.workshops.participation import qr_svg

    output = qr_svg("https://daks.example/mitmachen/abc/", title=PAYLOAD)
    assert "<script" not in output and "<img" not in output and "&lt;script&gt;" in output


def test_charts_escape_names():
    from daks.strategy.actor_charts import matrix_svg

    actor = SimpleNamespace(pk=1, name=PAYLOAD, influence=5, interest=4, kind="person", organisation=PAYLOAD)
    output = str(matrix_svg([actor], title=PAYLOAD))
    assert "<script" not in output and "<img" not in output and "&lt;script&gt;" in output
