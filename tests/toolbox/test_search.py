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


def test_umlauts_typed_as_two_letters_find_the_same_on_both_databases(library):
    assert titles("q=Buergerbeteiligung") == ["Bürgerbeteiligung im Quartier"]
    assert titles("q=Pflegekraefte") == titles("q=Pflegekräfte")
    assert "Pflegekraft gewinnen und halten" in titles("q=Pflegekraefte")
    assert search.postgres_term(search.Term(word="foerdern", stem="fordern")) == "(foerdern:* | fördern:*)"
    assert search.postgres_term(search.Term(word="quelle", stem="quell")) == "quelle:*"  # "qu" is no umlaut


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
    # topic slugs of the URL, full-text matches (SQLite: matches and ranks apart; PostgreSQL: the index-only
    # setting before and after, as the test runs in a transaction), the page's tools. Their topics and steps and
    # the topic fields come from the facet index; its version from the cache (in memory in the tests).
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 4):
        result = find("q=Wohnen&topic=wohnen&step=plan")
        [list(tool.listed_topics) for tool in result.page.object_list]


def test_result_list_shows_topics_and_steps_of_each_tool(library):
    result = find("q=Quartier")
    listed = {tool.title: tool for tool in result.page.object_list}
    participation = listed["Bürgerbeteiligung im Quartier"]
    # in the order of the topic fields (Wohnen before Bürgerbeteiligung), not in the order they were added
    assert [topic.name for topic in participation.listed_topics] == ["Wohnen", "Bürgerbeteiligung"]
    assert participation.listed_steps == ["workshop"]
    assert [topic.slug for topic in listed["Leitfaden Quartiersarbeit"].listed_topics] == [
        "begegnung-beratung-selbsthilfe"
    ]


def test_renamed_and_deleted_topic_fields_show_at_once(library, editor):
    from daks.toolbox import services
    from daks.toolbox.models import TopicField

    find("")  # the facet index of this process exists before the changes
    user = editor
    topic = TopicField.objects.get(slug="wohnen")
    services.topic_save(user=user, name="Wohnen und Leben", topic=topic)
    housing = next(tool for tool in find("q=Wohnformen").page.object_list)
    assert [topic.name for topic in housing.listed_topics] == ["Wohnen und Leben"]
    spare = services.topic_save(user=user, name="Ohne Werkzeuge")
    assert "Ohne Werkzeuge" in [value.label for value in find("").facets["topic"]]
    services.topic_delete(user=user, topic=spare)
    assert "Ohne Werkzeuge" not in [value.label for value in find("").facets["topic"]]


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL storage and planner")


@postgres_only
def test_search_columns_are_stored_for_the_search():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'toolbox_tool'::regclass "
            "AND attname IN ('search_vector', 'search_head')"
        )
        assert dict(cursor.fetchall()) == {"search_vector": "e", "search_head": "m"}
        cursor.execute("SELECT reloptions FROM pg_class WHERE oid = 'toolbox_tool'::regclass")
        assert "toast_tuple_target=128" in cursor.fetchone()[0]


@postgres_only
def test_search_uses_the_index_and_leaves_the_planner_as_it_was(library):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + search.MATCH_RANKS_SQL, ["pfleg:*", "pfleg:*"])
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
        assert "toolbox_tool_search_gin" in plan
        assert titles("q=Pflegekräfte") == ["Pflegekraft gewinnen und halten", "Leitfaden Quartiersarbeit"]
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


@postgres_only
def test_migration_rewrite_computes_the_vectors_of_the_services(library):
    import importlib

    migration = importlib.import_module("daks.toolbox.migrations.0003_search_storage")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, search_vector::text, search_head::text FROM toolbox_tool ORDER BY id")
        indexed = cursor.fetchall()
        cursor.execute(migration.REWRITE)
        cursor.execute("SELECT id, search_vector::text, search_head::text FROM toolbox_tool ORDER BY id")
        assert cursor.fetchall() == indexed
    assert all(row[1] and row[2] for row in indexed)
