"""Search quality of the Werkzeugkoffer on the current database (the suite runs on SQLite and PostgreSQL)."""

import pytest
from django.db import connection
from django.http import QueryDict

from daks.toolbox import search, selectors
from daks.toolbox.models import ToolStatus

from .factories import ToolFactory

pytestmark = pytest.mark.django_db


def find(query_string: str):
    return selectors.search_tools(selectors.SearchParams.from_querydict(QueryDict(query_string)))


def titles(query_string: str) -> list[str]:
    return [tool.title for tool in find(query_string).page.object_list]


@pytest.fixture
def library():
    return {
        "care": ToolFactory(
            title="Pflegekraft gewinnen und halten",
            teaser="Wie eine Kommune mit Trägern Fachkräfte für die Pflege bindet.",
            topics=["gesundheit-pflege"],
            steps=["plan"],
            sizes=["small"],
        ),
        "housing": ToolFactory(
            title="Neue Wohnformen im Alter",
            teaser="Gemeinschaftliche Projekte planen.",
            topics=["wohnen"],
            steps=["profile", "plan"],
            sizes=["medium", "large"],
            tool_type="concept",
        ),
        "participation": ToolFactory(
            title="Bürgerbeteiligung im Quartier",
            teaser="Eine aktivierende Befragung zur Größe des Bedarfs.",
            body="Ausführlicher Text über Beteiligung und Begegnung.",
            topics=["buergerbeteiligung", "wohnen"],
            steps=["workshop"],
            sizes=["small", "medium"],
            tool_type="method",
        ),
        "body_only": ToolFactory(
            title="Leitfaden Quartiersarbeit",
            teaser="Schritte für die Arbeit im Stadtteil.",
            body="Auch die Pflege von Kontakten zu Pflegekräften gehört dazu.",
            topics=["begegnung-beratung-selbsthilfe"],
            steps=["review"],
            sizes=["district"],
            tool_type="guide",
        ),
        "draft": ToolFactory(title="Pflegekräfte-Entwurf", status=ToolStatus.DRAFT, topics=["gesundheit-pflege"]),
    }


def test_stemming_finds_other_word_forms(library):
    assert "Pflegekraft gewinnen und halten" in titles("q=Pflegekräfte")
    assert titles("q=Wohnen")[0] == "Neue Wohnformen im Alter"


def test_umlauts_and_sharp_s_are_folded(library):
    assert titles("q=burgerbeteiligung") == ["Bürgerbeteiligung im Quartier"]
    assert titles("q=BÜRGERBETEILIGUNG") == ["Bürgerbeteiligung im Quartier"]
    assert titles("q=Grosse") == ["Bürgerbeteiligung im Quartier"]


def test_all_words_must_match_and_title_ranks_above_body(library):
    assert titles("q=Pflegekräfte") == ["Pflegekraft gewinnen und halten", "Leitfaden Quartiersarbeit"]
    assert titles("q=Pflegekräfte Kontakte") == ["Leitfaden Quartiersarbeit"]
    assert titles("q=Pflegekräfte Raumfahrt") == []


def test_unpublished_tools_are_never_found(library):
    assert "Pflegekräfte-Entwurf" not in titles("q=Pflegekräfte")
    assert "Pflegekräfte-Entwurf" not in titles("")


def test_stop_words_alone_list_everything_sorted_by_title(library):
    assert titles("q=für die und") == sorted(titles(""))
    assert len(titles("")) == 4


def test_facet_counts_follow_query_and_other_facets(library):
    result = find("q=Wohnen")
    counts = {name: {value.value: value.count for value in values} for name, values in result.facets.items()}
    # "Wohnen" matches the housing tool (title) and the participation tool (topic field "Wohnen").
    assert result.total == 2
    assert counts["topic"]["wohnen"] == 2
    assert counts["topic"]["buergerbeteiligung"] == 1
    assert counts["step"] == {"kickoff": 0, "profile": 1, "workshop": 1, "plan": 1, "review": 0}
    assert counts["type"]["concept"] == 1 and counts["type"]["method"] == 1
    # Choosing a step filters the results and the other facets, not the step facet itself (OR within a facet).
    filtered = find("q=Wohnen&step=workshop")
    counts = {name: {value.value: value.count for value in values} for name, values in filtered.facets.items()}
    assert filtered.total == 1
    assert counts["step"]["profile"] == 1 and counts["step"]["workshop"] == 1
    assert counts["type"] == {**dict.fromkeys(counts["type"], 0), "method": 1}
    both = ["Neue Wohnformen im Alter", "Bürgerbeteiligung im Quartier"]
    assert titles("q=Wohnen&step=workshop&step=profile") == both


def test_facets_combine_with_and_across_facets(library):
    assert titles("size=small") == ["Bürgerbeteiligung im Quartier", "Pflegekraft gewinnen und halten"]
    assert titles("size=small&topic=wohnen") == ["Bürgerbeteiligung im Quartier"]
    assert titles("type=guide&topic=wohnen") == []


def test_unknown_parameters_are_ignored(library):
    params = selectors.SearchParams.from_querydict(QueryDict("topic=mond&type=x&step=y&size=z&sort=evil&page=-3"))
    assert params.is_empty and params.sort == "relevance" and params.page == 1


def test_sorting(library):
    assert titles("sort=title") == sorted(titles("sort=title"))
    assert titles("q=Pflegekräfte&sort=title") == ["Leitfaden Quartiersarbeit", "Pflegekraft gewinnen und halten"]


def test_highlight_marks_word_forms_and_escapes_html():
    terms = search.parse_query("Pflegekräfte")
    html = search.highlight("<b>Pflegekraft</b> & Pflege", terms)
    assert html == "&lt;b&gt;<mark>Pflegekraft</mark>&lt;/b&gt; &amp; Pflege"


def test_index_follows_changes(library):
    tool = library["housing"]
    tool.title = "Seniorengerechte Quartiere"
    tool.save()
    search.index_tools([tool])
    assert titles("q=Senioren") == ["Seniorengerechte Quartiere"]
    assert "Seniorengerechte Quartiere" not in titles("q=Wohnformen")


def test_search_query_count(library, django_assert_num_queries):
    find("")  # builds the facet index of this process
    # topic slugs, full-text matches (SQLite: matches and ranks apart), the page's tools, their topics and steps,
    # the topic fields; the index version comes from the cache (in memory in the tests, one row read in production)
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 7):
        result = find("q=Wohnen&topic=wohnen&step=plan")
        [list(tool.topics.all()) for tool in result.page.object_list]
