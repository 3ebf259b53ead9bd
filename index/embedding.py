"""Dense vectors for passages and queries, with per-language mean-centering against language bias.

multilingual-e5 places every text partly by its language: a query scores passages in its own
language above the right passage in another. Subtracting the mean vector of the text's language
(Libovický et al., 2020) removes most of that offset. Means are fitted per model and side
(`query: ` and `passage: ` vectors differ) by `benchmarks/fit_centering.py` on NTREX dev.

Queries also lose half of their component along the `question_direction`: the direction of the
mean of officers' questions (the judged genre set's dev questions) once their language's mean is
taken off. The query means are fitted on news headlines, but users ask questions, and every
question shares its framing ("Which pledge promises…") and its domain: left in, they pull every
query towards the most generic pledges. A projection rather than a fixed offset, so that a query
with little of that component (a bare topic such as "domestic violence") is moved little.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np
from haystack import Document, component

from core.languages import family_of

CENTERING_DIR = Path(__file__).parent / "data"


@dataclass
class LanguageCentering:
    """Mean vectors per language, for each side (`query`, `passage`, `section`), and the share
    (`question_weight`) of a query's component along `question_direction` (a unit vector) that is
    taken off besides its language's mean. `name` covers what stored vectors depend on (the
    passage and section means), so a new question direction does not ask for re-embedding."""

    name: str
    means: dict[str, dict[str, np.ndarray]]
    question_direction: np.ndarray | None = None
    question_weight: float = 0.0

    @classmethod
    def load(cls, path: Path) -> "LanguageCentering":
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        means = {side: {lang: np.asarray(v, dtype=np.float32) for lang, v in by_lang.items()} for side, by_lang in raw["means"].items()}
        direction = raw.get("question_direction")
        return cls(
            name=raw["name"], means=means, question_direction=None if direction is None else np.asarray(direction, dtype=np.float32),
            question_weight=float(raw.get("question_weight", 0.0)),
        )

    @classmethod
    def for_model(cls, model: str) -> "LanguageCentering | None":
        """The bundled means fitted for `model`, or None when none were fitted for it."""
        path = CENTERING_DIR / f"centering-{model.replace('/', '__')}.json"
        return cls.load(path) if path.exists() else None

    def mean(self, side: str, language: str | None) -> np.ndarray:
        """The language's mean; a Serbo-Croatian variant uses its family's; unknown → the average of all."""
        by_lang = self.means[side]
        if language in by_lang:
            return by_lang[language]
        family = family_of(language)
        if family in by_lang:
            return by_lang[family]
        return np.mean(np.stack(list(by_lang.values())), axis=0)

    def apply(self, vectors: np.ndarray, side: str, languages: list[str | None]) -> np.ndarray:
        centered = vectors - np.stack([self.mean(side, lang) for lang in languages])
        if side == "query" and self.question_direction is not None:
            along = centered @ self.question_direction
            centered = centered - self.question_weight * along[:, None] * self.question_direction[None, :]
        return centered / np.maximum(np.linalg.norm(centered, axis=1, keepdims=True), 1e-12)


# How much lower the threads that run query model calls are scheduled (Linux nice steps).
QUERY_THREAD_NICENESS = 5


def _yield_to_gil_holders() -> None:
    """Schedule this thread below the process's others (Linux: niceness is per thread).

    A model call releases the GIL; the rest of a search holds it, the store's search included
    (Qdrant Edge keeps it for the whole call). Under concurrent searches the GIL, not the cores,
    is the bottleneck (BENCHMARKS.md, "Session 7"): a model run that takes a core from the thread
    holding the GIL stalls every request. Niced, it runs on what that thread leaves; nothing it
    computes changes.
    """
    if sys.platform.startswith("linux"):
        thread = threading.get_native_id()
        try:
            os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + QUERY_THREAD_NICENESS)
        except OSError:  # a sandbox that forbids it: the default schedule
            pass


@dataclass
class _QueryRequest:
    texts: list[str]
    vectors: np.ndarray | None = None
    error: BaseException | None = None
    done: bool = False


@dataclass
class QueryCoalescer:
    """Concurrent query encodings share one model call.

    Four torch calls at once, each on all cores, only fight over them, and one batch of short
    queries costs far less than as many single calls. So one call runs at a time; whoever takes
    the model next encodes everything that queued meanwhile, in one call. A lone query waits for
    nothing: there is no timer, only the call already running. (`Encoder` uses it for models
    that batch; the ONNX backends run concurrent calls in parallel instead.)
    """

    encode: Callable[[list[str]], np.ndarray]
    _queue: list[_QueryRequest] = field(default_factory=list)
    _queue_lock: threading.Lock = field(default_factory=threading.Lock)
    _model_lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, texts: list[str]) -> np.ndarray:
        request = _QueryRequest(list(texts))
        with self._queue_lock:
            self._queue.append(request)
        with self._model_lock:
            if not request.done:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._run(batch)
        if request.error is not None:
            raise request.error
        return request.vectors

    def _run(self, batch: list[_QueryRequest]) -> None:
        try:
            vectors = self.encode([text for request in batch for text in request.texts])
        except BaseException as error:  # every waiter gets the failure, not a hang
            for request in batch:
                request.error, request.done = error, True
            raise
        start = 0
        for request in batch:
            request.vectors, request.done = vectors[start : start + len(request.texts)], True
            start += len(request.texts)


class Encoder:
    """The sentence-transformers model plus optional centering: the one place vectors are made."""

    def __init__(self, model, centering: LanguageCentering | None, batch_size: int = 32):
        self.model = model
        self.centering = centering
        self.batch_size = batch_size
        self.dimension = int(model.get_embedding_dimension())
        # torch pads a batch and runs it on all cores: concurrent queries are best encoded together.
        # The ONNX backends run texts one by one and in parallel: there is nothing to gain.
        concurrent = getattr(model, "encodes_concurrently", False)
        self._encode_queries = self._encode_query_batch if concurrent else QueryCoalescer(self._encode_query_batch)
        # Runs query model calls while the caller detects the query's language (`query_and_language`).
        # As many threads as the API has for requests (anyio's 40): with fewer, concurrent requests
        # queue here instead of being coalesced into one model batch (BENCHMARKS.md section 3).
        self._background = ThreadPoolExecutor(40, thread_name_prefix="ahadi-query", initializer=_yield_to_gil_holders)

    def passages(
        self, texts: list[str], languages: list[str | None], progress: bool = False, sides: list[str] | None = None
    ) -> np.ndarray:
        """Passage vectors, each centred for its language and its side: `passage` (the default) for
        passages and commitments, `section` for the longer sections (see `ingest.chunking`)."""
        vectors = self.model.encode(
            texts, prompt_name="passage", normalize_embeddings=True, batch_size=self.batch_size,
            show_progress_bar=progress, convert_to_numpy=True,
        )
        if sides is None:
            return self._center(vectors, "passage", languages)
        for side in set(sides):
            rows = [i for i, s in enumerate(sides) if s == side]
            vectors[rows] = self._center(vectors[rows], side, [languages[i] for i in rows])
        return vectors

    def queries(self, texts: list[str], languages: list[str | None]) -> np.ndarray:
        """Query vectors; with torch, calls from concurrent threads are encoded together (`QueryCoalescer`)."""
        return self._center(self._encode_queries(texts), "query", languages)

    def query_and_language(self, text: str, detect: Callable[[str], str | None]) -> tuple[str | None, np.ndarray]:
        """A query's language, from `detect`, and its vector centred for that language.

        The model does not need the language (only the centering after it does), and it releases
        the GIL while it runs, so `detect` runs in this thread meanwhile: the query costs the
        longer of the two, not their sum (BENCHMARKS.md section 3).
        """
        vector = self._background.submit(self._encode_queries, [text])
        try:
            language = detect(text)
        finally:
            raw = vector.result()
        return language, self._center(raw, "query", [language])[0]

    def _encode_query_batch(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(
            texts, prompt_name="query", normalize_embeddings=True, batch_size=self.batch_size, convert_to_numpy=True
        )

    def _center(self, vectors: np.ndarray, side: str, languages: list[str | None]) -> np.ndarray:
        if self.centering is None or len(vectors) == 0:
            return vectors
        return self.centering.apply(vectors, side, languages)

    @property
    def signature(self) -> str:
        """What the stored vectors depend on: changing it means re-embedding."""
        return f"{self.model_name}|{self.centering.name if self.centering else 'no-centering'}"

    @property
    def model_name(self) -> str:
        return getattr(self.model, "ahadi_model_name", type(self.model).__name__)


@component
class PassageEmbedder:
    """Adds `embedding` to passages, commitments and sections, from one call of the shared `Encoder`.

    All lists go to the model together, so its length-sorted batches are full even when a
    batch of documents yields few commitments (two calls cost ~1 s more per 130 documents,
    BENCHMARKS.md). A commitment is embedded with its `context` (the lead-in of the list it is
    an item of) in front of its text, as Haystack's embedders do with `meta_fields_to_embed`.
    """

    def __init__(self, encoder: Encoder, context_field: str = "context", progress: bool = False):
        self.encoder = encoder
        self.context_field = context_field
        self.progress = progress

    @component.output_types(chunks=list[Document], commitments=list[Document], sections=list[Document])
    def run(
        self, chunks: list[Document], commitments: list[Document] | None = None, sections: list[Document] | None = None
    ) -> dict[str, Any]:
        commitments, sections = commitments or [], sections or []
        parts = [*chunks, *commitments, *sections]
        texts = [doc.content for doc in chunks] + [self._with_context(doc) for doc in commitments] + [doc.content for doc in sections]
        sides = ["passage"] * (len(chunks) + len(commitments)) + ["section"] * len(sections)
        vectors = self.encoder.passages(texts, [doc.meta.get("language") for doc in parts], progress=self.progress, sides=sides)
        embedded = [replace(doc, embedding=vector.tolist()) for doc, vector in zip(parts, vectors)]
        ends = (len(chunks), len(chunks) + len(commitments))
        return {"chunks": embedded[: ends[0]], "commitments": embedded[ends[0] : ends[1]], "sections": embedded[ends[1] :]}

    def _with_context(self, doc: Document) -> str:
        return text_with_context(doc.content, doc.meta.get(self.context_field))


def text_with_context(text: str, context: str | None) -> str:
    """What is embedded for a commitment: its list's lead-in, then its own text."""
    return f"{context}\n{text}" if context else text
