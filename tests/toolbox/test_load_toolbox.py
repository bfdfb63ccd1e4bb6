"""The editorial content of the Werkzeugkoffer and the load_toolbox command (all or nothing)."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from daks.strategy.models import Step
from daks.toolbox.content import CONTENT_DIR, TOPIC_FIELDS, ContentError, load_sources
from daks.toolbox.models import Tool, ToolStatus

SECTIONS = ("## Worum es geht", "## Aufwand und Kosten", "## Stolpersteine", "## Beispiel")


def test_editorial_content_covers_every_topic_field_and_step():
    sources = load_sources(CONTENT_DIR)
    assert len(sources) >= 70
    topics = Counter(topic for source in sources for topic in source.topics)
    steps = Counter(step for source in sources for step in source.steps)
    assert set(topics) == {slug for slug, _name in TOPIC_FIELDS}
    assert set(steps) == set(Step.values)
    assert min(topics.values()) >= 5 and min(steps.values()) >= 10
    # Practical texts: purpose, effort, pitfalls and an example in every tool.
    thin = [source.slug for source in sources if not all(section in source.body for section in SECTIONS)]
    assert thin == []


@pytest.mark.django_db
def test_load_toolbox_loads_everything_once_and_again_without_duplicates():
    out = StringIO()
    call_command("load_toolbox", stdout=out)
    count = len(load_sources(CONTENT_DIR))
    assert f"{count} tools created, 0 updated" in out.getvalue()
    tools = Tool.objects.all()
    assert tools.count() == count
    assert set(tools.values_list("status", flat=True)) == {ToolStatus.PUBLISHED}
    assert all(tools.values_list("is_editorial", flat=True))
    assert Tool.objects.filter(related__isnull=False).exists()

    out = StringIO()
    call_command("load_toolbox", stdout=out)
    assert "0 tools created" in out.getvalue()
    assert Tool.objects.count() == count


@pytest.mark.django_db
def test_load_toolbox_check_writes_nothing():
    out = StringIO()
    call_command("load_toolbox", "--check", stdout=out)
    assert "tool files are valid" in out.getvalue()
    assert not Tool.objects.exists()


def _write_tool(directory, slug, *, topics="wohnen", related=""):
    body = "## Worum es geht\n" + "Ein ausreichend langer Text über das Werkzeug. " * 8
    (directory / f"{slug}.md").write_text(
        f"---\ntitle: Werkzeug {slug}\nteaser: Kurzbeschreibung.\ntype: method\ntopics: {topics}\nsteps: plan\n"
        f"sizes: small\neffort: low\ncost: low\nrelated: {related}\n---\n{body}\n",
        encoding="utf-8",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("second", "message"),
    [
        ({"topics": "gibt-es-nicht"}, "topics ['gibt-es-nicht']"),
        ({"related": "fehlt"}, "related tools ['fehlt'] do not exist"),
    ],
)
def test_load_toolbox_with_one_bad_file_loads_nothing(tmp_path, second, message):
    _write_tool(tmp_path, "gutes-werkzeug")
    _write_tool(tmp_path, "schlechtes-werkzeug", **second)
    with pytest.raises(CommandError, match="Nothing was loaded") as raised:
        call_command("load_toolbox", "--directory", str(tmp_path), stdout=StringIO())
    assert message in str(raised.value)
    assert not Tool.objects.exists()


def test_content_error_names_the_file(tmp_path):
    (tmp_path / "ohne-kopf.md").write_text("Kein Vorspann", encoding="utf-8")
    with pytest.raises(ContentError, match="ohne-kopf: the file must start with a front matter"):
        load_sources(tmp_path)
