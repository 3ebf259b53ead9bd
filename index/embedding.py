"""Dense vectors for passages and queries, with per-language mean-centering against language bias.

multilingual-e5 places every text partly by its language: a query scores passages in its own
language above the right passage in another. Subtracting the mean vector of the text's language
(Libovický et al., 2020) removes most of that offset. Means are fitted per model and side
(`query: ` and `passage: ` vectors differ) by `benchmarks/fit_centering.py` on NTREX dev.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from haystack import Document, component

from ingest.language import family_of

CENTERING_DIR = Path(__file__).parent / "data"


@dataclass
class LanguageCentering:
    """Mean vectors per language, for each side (`query`, `passage`)."""

    name: str
    means: dict[str, dict[str, np.ndarray]]

    @classmethod
    def load(cls, path: Path) -> "LanguageCentering":
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        means = {side: {lang: np.asarray(v, dtype=np.float32) for lang, v in by_lang.items()} for side, by_lang in raw["means"].items()}
        return cls(name=raw["name"], means=means)

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
        return centered / np.maximum(np.linalg.norm(centered, axis=1, keepdims=True), 1e-12)


class Encoder:
    """The sentence-transformers model plus optional centering: the one place vectors are made."""

    def __init__(self, model, centering: LanguageCentering | None, batch_size: int = 32):
        self.model = model
        self.centering = centering
        self.batch_size = batch_size
        self.dimension = int(model.get_embedding_dimension())

    def passages(self, texts: list[str], languages: list[str | None], progress: bool = False) -> np.ndarray:
        vectors = self.model.encode(
            texts, prompt_name="passage", normalize_embeddings=True, batch_size=self.batch_size,
            show_progress_bar=progress, convert_to_numpy=True,
        )
        return self._center(vectors, "passage", languages)

    def queries(self, texts: list[str], languages: list[str | None]) -> np.ndarray:
        vectors = self.model.encode(
            texts, prompt_name="query", normalize_embeddings=True, batch_size=self.batch_size, convert_to_numpy=True
        )
        return self._center(vectors, "query", languages)

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
    """Adds `embedding` to each chunk, from the shared `Encoder` (language-centred where it can)."""

    def __init__(self, encoder: Encoder, progress: bool = False):
        self.encoder = encoder
        self.progress = progress

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, Any]:
        vectors = self.encoder.passages(
            [doc.content for doc in documents], [doc.meta.get("language") for doc in documents], progress=self.progress
        )
        return {"documents": [replace(doc, embedding=vector.tolist()) for doc, vector in zip(documents, vectors)]}
