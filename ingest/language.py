"""The Haystack component that labels each document's language (`core.detection` does the work)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict, logging

from core.detection import classify, langdetect_probabilities, letters, prepare_sample
from core.languages import family_of, normalize_language, resolve_language

logger = logging.getLogger(__name__)


@component
class LanguageDetector:
    """
    Sets ``meta["language"]`` (final) and ``meta["detected_language"]`` (raw langdetect code).

    Detection runs on a sample of the content (the first ``sample_chars`` characters; the
    title is left out: titles are short and often all-caps). See the module docstring for the
    Serbo-Croatian and Arabic-script rules and why a declared language wins.

    ``detected_language`` is langdetect's own top answer (``hr`` for any Serbo-Croatian
    text, ``sl``/``mk`` possible), or None when the text has no letters or langdetect found no
    features. ``language`` is None only when nothing was declared and detection was unsure
    (top probability below ``min_probability``).

    ### Usage example

    ```python
    from haystack import Document
    from ingest.language import LanguageDetector

    doc = Document(content="U Beranskom Centru za socijalni rad održan je sastanak.",
                   meta={"language": None, "country": "ME"})
    LanguageDetector().run([doc])["documents"][0].meta["language"]  # "cnr"
    ```
    """

    def __init__(self, sample_chars: int = 2000, min_probability: float = 0.5) -> None:
        """
        Create a LanguageDetector.

        :param sample_chars: How many leading characters of the content to detect on (≥ 50).
        :param min_probability: Minimum probability of the top answer (0 < p ≤ 1) for it to
            become the final language when nothing is declared.
        :raises ValueError: on an out-of-range parameter.
        """
        if not isinstance(sample_chars, int) or sample_chars < 50:
            raise ValueError(f"sample_chars must be an integer ≥ 50, got {sample_chars!r}.")
        if not 0 < min_probability <= 1:
            raise ValueError(f"min_probability must be in (0, 1], got {min_probability!r}.")
        self.sample_chars = sample_chars
        self.min_probability = min_probability

    def detect(self, text: str | None) -> tuple[str | None, str | None, float]:
        """(raw langdetect code, our code, probability) for a document text."""
        if not text:
            return None, None, 0.0
        sample = prepare_sample(text, self.sample_chars)
        if letters(sample) < 2:
            return None, None, 0.0
        probs = langdetect_probabilities(sample)
        code, prob = classify(sample, probs)
        raw = probs[0][0] if probs else None
        return raw, code, prob

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """
        Detect the language of each document.

        :param documents: Whole documents (meta as produced by ``DocumentReader``).
        :returns: ``documents``: new Document objects with ``language`` and
            ``detected_language`` set in meta; content and other meta unchanged.
        """
        return {"documents": list(self._iter_run(documents))}

    def _iter_run(self, documents: Iterable[Document]) -> Iterable[Document]:
        for doc in documents:
            raw, code, prob = self.detect(doc.content)
            detected = code if prob >= self.min_probability else None
            declared = doc.meta.get("language")
            final = resolve_language(declared, detected, doc.meta.get("country"))
            if declared is not None and normalize_language(declared) is not None and code is not None:
                if family_of(normalize_language(declared)) != family_of(code):
                    logger.info(
                        "Document {doc_id}: declared language {declared} kept, detected {raw}",
                        doc_id=doc.id, declared=declared, raw=raw,
                    )
            meta = {**doc.meta, "language": final, "detected_language": raw}
            yield replace(doc, meta=meta)

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(self, sample_chars=self.sample_chars, min_probability=self.min_probability)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LanguageDetector":
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)
