"""The last pipeline step: chunks with vectors → the store, one document at a time, whole or not at all."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

from haystack import Document, component

from index.sparse import SparseEncoder
from index.store.base import ChunkPoint, ChunkStore

# Document-level fields copied onto every chunk, so that filters need no join.
CHUNK_FILTER_FIELDS = ("title", "language", "country", "region", "doc_type", "organisations", "date", "date_num", "year")


@component
class ChunkWriter:
    """Writes each document's chunks and its record (metadata, cleaned text, version) to a `ChunkStore`."""

    def __init__(self, store: ChunkStore, sparse: SparseEncoder | None = None):
        self.store = store
        self.sparse = sparse

    @component.output_types(written=list[str], chunks=int)
    def run(self, documents: list[Document], chunks: list[Document]) -> dict[str, Any]:
        by_doc: dict[str, list[Document]] = defaultdict(list)
        for chunk in chunks:
            by_doc[chunk.meta["doc_id"]].append(chunk)
        written = []
        for doc in documents:
            doc_chunks = by_doc.get(doc.id, [])
            record = document_record(doc)
            sparse_vectors = self.sparse.documents([c.content for c in doc_chunks], [c.meta.get("language") for c in doc_chunks]) if self.sparse else [None] * len(doc_chunks)
            points = [
                ChunkPoint(
                    doc_id=doc.id,
                    chunk_index=chunk.meta["chunk_index"],
                    dense=chunk.embedding,
                    sparse=sparse_vector,
                    payload={
                        "chunk_index": chunk.meta["chunk_index"],
                        "text": chunk.content,
                        "start": chunk.meta["start"],
                        "end": chunk.meta["end"],
                        "metadata": doc.meta.get("metadata") or {},
                        **{key: record.get(key) for key in CHUNK_FILTER_FIELDS},
                    },
                )
                for chunk, sparse_vector in zip(doc_chunks, sparse_vectors)
            ]
            self.store.write_document(record, points)
            written.append(doc.id)
        return {"written": written, "chunks": len(chunks)}


def document_record(doc: Document) -> dict[str, Any]:
    """The stored description of a whole document."""
    meta = doc.meta
    date = meta.get("date")
    return {
        "doc_id": doc.id,
        "version": meta["version"],
        "title": meta.get("title"),
        "language": meta.get("language"),
        "detected_language": meta.get("detected_language"),
        "country": meta.get("country"),
        "region": meta.get("region"),
        "doc_type": meta.get("doc_type"),
        "organisations": meta.get("organisations") or [],
        "date": date,
        "date_num": int(date.replace("-", "")) if date else None,
        "year": meta.get("year") or (int(date[:4]) if date else None),
        "source": meta.get("source"),
        "metadata": meta.get("metadata") or {},
        "text": doc.content,
        "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
