"""German full-text search over tools, one interface for both databases.

- PostgreSQL: a weighted ``tsvector`` (title A, teaser and keywords B, body C) in the ``german`` configuration,
  a GIN index, ``ts_rank`` — the Snowball German stemmer folds umlauts and ß ("Größe" → ``gross``).
- SQLite: an FTS5 table ``toolbox_tool_fts`` holding the same text stemmed in Python with the same Snowball
  German stemmer, ranked with ``bm25`` weighted 10/4/1.

Every query word is a prefix of a stem, so "Pflegekräfte" finds "Pflegekraft" (stemming) and "Wohnen" finds
"Wohnformen" (prefix ``wohn*``). Words are combined with AND; German stop words are ignored.
"""

import functools
import html
import re
import threading
from dataclasses import dataclass

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

WORD_RE = re.compile(r"\w+")
MAX_TERMS = 10

#: Words that carry no meaning for a search (PostgreSQL's german list, the frequent part).
_STOPWORD_TEXT = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus bei
    bin bis bist da damit dann das dass dasselbe dazu dein deine dem den denn der des dessen dich die dies diese
    dieselbe dieselben diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einig
    einige er es etwas euch euer eure für fur gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm
    ihn ihnen ihr ihre im in indem ins ist jede jedem jeden jeder jedes jene jetzt kann kein keine können konnen
    man manche mein meine mich mir mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
    selbst sich sie sind so solche soll sollte sondern sonst über uber um und uns unser unsere unter viel vom von
    vor während wahrend war waren warst was weg weil weiter welche wenn werde werden wie wieder will wir wird wo
    wollen wollte würde wurde würden wurden zu zum zur zwar zwischen tool tools werkzeug werkzeuge
immer mehr weniger wenig viele vieler vielen
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_local = threading.local()


def _stemmer():
    # Snowball stemmer objects keep state between calls: one per thread.
    if not hasattr(_local, "stemmer"):
        _local.stemmer = snowballstemmer.stemmer("german")
    return _local.stemmer


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The folded Snowball stem of one word, as PostgreSQL's ``german`` configuration computes it."""
    stemmed = _stemmer().stemWord(word.casefold())
    return stemmed.replace("ä", "a").replace("ö", "o").replace("ü", "u")


def stemmed_text(text: str) -> str:
    return " ".join(stem(word) for word in WORD_RE.findall(text))


@dataclass(frozen=True)
class Term:
    word: str  # as typed, case-folded: PostgreSQL stems it itself
    stem: str


def parse_query(query: str) -> list[Term]:
    """The meaningful words of a query (at most ten), without stop words and duplicates."""
    terms: list[Term] = []
    seen: set[str] = set()
    for word in WORD_RE.findall(query.casefold()):
        if word in STOPWORDS or word.replace("_", "") == "" or len(word) < 2:
            continue
        word_stem = stem(word)
        if word_stem and word_stem not in seen:
            seen.add(word_stem)
            terms.append(Term(word=word.replace("_", ""), stem=word_stem))
        if len(terms) == MAX_TERMS:
            break
    return terms


_SPELLED_UMLAUT_RE = re.compile(r"(?<!q)ue|ae|oe")
_UMLAUTS = {"ae": "ä", "oe": "ö", "ue": "ü"}


def postgres_term(term: Term) -> str:
    """One word of a PostgreSQL ``tsquery``: a prefix of the word, PostgreSQL stemming it with ``german``.

    The Snowball stemmer of the SQLite index (snowballstemmer 3) reads umlauts typed as "ae", "oe", "ue" as
    umlauts ("Foerdermittel" finds "Fördermittel"); PostgreSQL's older ``german`` stemmer does not. Such a word
    therefore also matches in its umlaut form, so both databases find the same tools.
    """
    folded = _SPELLED_UMLAUT_RE.sub(lambda found: _UMLAUTS[found.group(0)], term.word)
    return f"{term.word}:*" if folded == term.word else f"({term.word}:* | {folded}:*)"


def match(queryset: QuerySet, terms: list[Term], *, any_term: bool = False) -> QuerySet:
    """``queryset`` (of Tool) restricted to tools matching ``terms`` and annotated with ``rank`` (higher is
    better). ``any_term`` combines the words with OR instead of AND (used for recommendations)."""
    if not terms:
        return queryset.annotate(rank=Value(0.0))
    if connection.vendor == "postgresql":
        raw = (" | " if any_term else " & ").join(postgres_term(term) for term in terms)
        tsquery = SearchQuery(raw, config="german", search_type="raw")
        return queryset.filter(search_vector=tsquery).annotate(
            rank=SearchRank(F("search_vector"), tsquery, weights=[0.1, 0.2, 0.4, 1.0])
        )
    expression = (" OR " if any_term else " AND ").join(f'"{term.stem}"*' for term in terms)
    matching = queryset.filter(
        pk__in=RawSQL("SELECT rowid FROM toolbox_tool_fts WHERE toolbox_tool_fts MATCH %s", [expression])
    )
    # bm25 is smaller for better matches; negated so that "higher is better" holds on both databases.
    return matching.annotate(
        rank=RawSQL(
            "SELECT -bm25(toolbox_tool_fts, 10.0, 4.0, 1.0) FROM toolbox_tool_fts "
            'WHERE toolbox_tool_fts MATCH %s AND toolbox_tool_fts.rowid = "toolbox_tool"."id"',
            [expression],
            output_field=FloatField(),
        )
    )


def match_ranks(terms: list[Term]):
    """(tool ids, ranks) of every tool matching all ``terms`` — one query, no join, for the faceted search."""
    import numpy as np

    # Matching uses every column with AND; ranking only title, teaser and keywords with OR (small, so cheap even
    # for thousands of matches): tools matching only in their text rank below, ordered by title.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = _postgres_match_ranks(cursor, terms)
        else:
            cursor.execute(
                "SELECT rowid FROM toolbox_tool_fts WHERE toolbox_tool_fts MATCH %s",
                [" AND ".join(f'"{term.stem}"*' for term in terms)],
            )
            matched = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT rowid, -bm25(toolbox_tool_fts, 10.0, 4.0, 0.0) FROM toolbox_tool_fts "
                "WHERE toolbox_tool_fts MATCH %s",
                ["{title teaser} : (" + " OR ".join(f'"{term.stem}"*' for term in terms) + ")"],
            )
            head = dict(cursor.fetchall())
            rows = [(tool_id, head.get(tool_id, 0.0)) for tool_id in matched]
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    ranks = np.array([row[1] for row in rows], dtype=float)
    return ids, ranks


#: Matching uses every column (the GIN index of ``search_vector``) with AND; ranking only title, teaser and
#: keywords (``search_head``) with OR: tools matching only in their text rank below, ordered by title.
MATCH_RANKS_SQL = (
    "SELECT id, ts_rank('{0.1, 0.2, 0.4, 1.0}', search_head, any_word) FROM toolbox_tool, "
    "to_tsquery('german', %s) all_words, to_tsquery('german', %s) any_word "
    "WHERE search_vector @@ all_words"
)


def _postgres_match_ranks(cursor, terms: list[Term]) -> list[tuple[int, float]]:
    # A word frequent in the library ("Jugend") matches most tools, and the planner then prefers a sequential
    # scan: it does not count that each row's ``search_vector`` (about 1 kB, compressed) must be decompressed
    # for the test, which makes that scan five times slower than reading the matching ids from the GIN index
    # (measured: 88 ms against 16 ms for 9,000 of 10,000 tools, benchmarks/bench_toolbox.py). The index is
    # therefore used always, for this one query: SET LOCAL ends with the transaction, or is undone right after
    # the query when an outer transaction goes on (no savepoint needed: a failure aborts that transaction, and
    # its rollback undoes the setting).
    outer = connection.in_atomic_block
    with transaction.atomic(using=connection.alias, savepoint=False):
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            MATCH_RANKS_SQL,
            [" & ".join(postgres_term(term) for term in terms), " | ".join(postgres_term(term) for term in terms)],
        )
        rows = cursor.fetchall()
        if outer:
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
    return rows


def highlight(text: str, terms: list[Term]) -> SafeString:
    """``text`` escaped, with every word whose stem starts with a query term wrapped in ``<mark>``."""
    text = text.replace("\x00", "").replace("\x01", "")
    if not terms:
        return mark_safe(html.escape(text))  # noqa: S308 - escaped
    stems = tuple(term.stem for term in terms)

    def mark(found) -> str:
        word = found.group(0)
        return f"\x00{word}\x01" if stem(word).startswith(stems) else word

    # Markers (control characters the text cannot contain any more) survive escaping and become the tags.
    escaped = html.escape(WORD_RE.sub(mark, text))
    return mark_safe(escaped.replace("\x00", "<mark>").replace("\x01", "</mark>"))  # noqa: S308 - escaped


def keywords_of(tool) -> str:
    names = [topic.name for topic in tool.topics.all()]
    return " ".join(names + list(tool.target_groups or []))


def index_tools(tools) -> None:
    """Bring the search index of ``tools`` (Tool objects with topics prefetched) up to date."""
    from .models import Tool
    from .selectors import drop_facet_index

    drop_facet_index()
    tools = list(tools)
    for tool in tools:
        tool.keywords = keywords_of(tool)
    Tool.objects.bulk_update(tools, ["keywords"], batch_size=500)
    ids = [tool.pk for tool in tools]
    if connection.vendor == "postgresql":
        for start in range(0, len(ids), 1000):
            Tool.objects.filter(pk__in=ids[start : start + 1000]).update(
                search_vector=SearchVector("title", weight="A", config="german")
                + SearchVector("teaser", "keywords", weight="B", config="german")
                + SearchVector("body", weight="C", config="german"),
                search_head=SearchVector("title", weight="A", config="german")
                + SearchVector("teaser", "keywords", weight="B", config="german"),
            )
    elif connection.vendor == "sqlite":
        rows = [
            (tool.pk, stemmed_text(tool.title), stemmed_text(f"{tool.teaser} {tool.keywords}"), stemmed_text(tool.body))
            for tool in tools
        ]
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM toolbox_tool_fts WHERE rowid = %s", [(pk,) for pk in ids])
            cursor.executemany(
                "INSERT INTO toolbox_tool_fts (rowid, title, teaser, body) VALUES (%s, %s, %s, %s)", rows
            )


def remove_from_index(tool_ids: list[int]) -> None:
    from .selectors import drop_facet_index

    drop_facet_index()
    if connection.vendor == "sqlite" and tool_ids:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM toolbox_tool_fts WHERE rowid = %s", [(pk,) for pk in tool_ids])
