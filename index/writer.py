"""The last pipeline step: chunks with vectors → the store, one document at a time, whole or not at all."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

from haystack import Document, component

from index.sparse import SparseEncoder
from index.store.base import ChunkPoint, ChunkStore

# Document-level fields copied onto every chunk, so that filters need no join.
CHUNK_FILTER_FIELDS = ("title", "language", "country", "region", "doc_type", "organisations", "date", "date_num", "year", "access")
# What a commitment record adds to its sentence (see ingest/commitments/).
COMMITMENT_FIELDS = ("actors", "quantity", "target", "year", "deadline", "heading", "context", "passage", "confidence")


@component
class ChunkWriter:
    """Writes each document's record (metadata, cleaned text, version), passages and commitments to a `ChunkStore`."""

    def __init__(self, store: ChunkStore, sparse: SparseEncoder | None = None):
        self.store = store
        self.sparse = sparse

    @component.output_types(written=list[str], chunks=int, commitments=int)
    def run(
        self,
        documents: list[Document],
        chunks: list[Document],
        commitments: list[Document] | None = None,
        sections: list[Document] | None = None,
    ) -> dict[str, Any]:
        chunks_by_doc = _by_document(chunks)
        commitments_by_doc = _by_document(commitments or [])
        sections_by_doc = _by_document(sections or [])
        for doc in documents:
            record = document_record(doc)
            shared = {key: record.get(key) for key in CHUNK_FILTER_FIELDS}
            doc_chunks = chunks_by_doc.get(doc.id, [])
            sparse_vectors = (
                self.sparse.documents([c.content for c in doc_chunks], [c.meta.get("language") for c in doc_chunks])
                if self.sparse
                else [None] * len(doc_chunks)
            )
            points = [
                ChunkPoint(
                    doc_id=doc.id,
                    chunk_index=chunk.meta["chunk_index"],
                    dense=chunk.embedding,
                    sparse=sparse_vector,
                    payload={
                        **shared,
                        "chunk_index": chunk.meta["chunk_index"],
                        "text": chunk.content,
                        "start": chunk.meta["start"],
                        "end": chunk.meta["end"],
                        "metadata": record["metadata"],
                    },
                )
                for chunk, sparse_vector in zip(doc_chunks, sparse_vectors)
            ]
            points += [
                ChunkPoint(
                    doc_id=doc.id,
                    chunk_index=item.meta["commitment_index"],
                    dense=item.embedding,
                    kind="commitment",
                    payload={
                        **shared,
                        "chunk_index": item.meta["commitment_index"],
                        "text": item.content,
                        "start": item.meta["start"],
                        "end": item.meta["end"],
                        "commitment": {key: item.meta.get(key) for key in COMMITMENT_FIELDS},
                    },
                )
                for item in commitments_by_doc.get(doc.id, [])
            ]
            # Sections only rank documents (index.search): their offsets say where they stand, no text is kept twice.
            points += [
                ChunkPoint(
                    doc_id=doc.id,
                    chunk_index=section.meta["chunk_index"],
                    dense=section.embedding,
                    kind="section",
                    payload={**shared, "chunk_index": section.meta["chunk_index"], "start": section.meta["start"], "end": section.meta["end"]},
                )
                for section in sections_by_doc.get(doc.id, [])
            ]
            self.store.write_document(record, points)
        return {
            "written": [doc.id for doc in documents],
            "chunks": len(chunks),
            "commitments": len(commitments or []),
        }


def _by_document(parts: list[Document]) -> dict[str, list[Document]]:
    grouped: dict[str, list[Document]] = defaultdict(list)
    for part in parts:
        grouped[part.meta["doc_id"]].append(part)
    return grouped


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
        "country_source": meta.get("country_source"),
        "region_source": meta.get("region_source"),
        "doc_type": meta.get("doc_type"),
        "organisations": meta.get("organisations") or [],
        "date": date,
        "date_num": int(date.replace("-", "")) if date else None,
        "year": meta.get("year") or (int(date[:4]) if date else None),
        "source": meta.get("source"),
        "metadata": meta.get("metadata") or {},
        "access": list(meta["access"]),
        "extracted": meta.get("extracted") or {},
        "text": doc.content,
        "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
