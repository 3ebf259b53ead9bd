"""One document's failure must not stop a batch: a step is applied to each document on its own."""

from __future__ import annotations

from typing import Callable

from haystack import Document, logging


def each_document(documents: list[Document], step: Callable[[Document], Document], what: str, logger: logging.PatchedLogger) -> list[Document]:
    """`step` applied to every document, in order; a document on which it fails is kept as it was,
    and the failure is logged (with `what` failed) on the calling component's `logger`."""
    out: list[Document] = []
    for doc in documents:
        try:
            out.append(step(doc))
        except Exception:  # a malformed document keeps its meta; it must not stop the batch
            logger.exception("{what} failed for document {doc_id}", what=what, doc_id=doc.id)
            out.append(doc)
    return out
