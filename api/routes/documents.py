"""`/v1/documents`: add (JSON or files), list, read, replace, delete."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from typing import Annotated, Any, Union

from fastapi import APIRouter, Body, File, Form, Path, Query, UploadFile
from pydantic import Discriminator, Tag

from api.auditing import note
from api.deps import PROTECTED, Service, State, error_responses
from api import ingestion
from api.errors import ApiError
from api.filters import CountryParam, DocTypeParam, LanguageParam, RegionParam
from api.schemas import (
    DOC_ID_PATTERN,
    BulkDocumentsIn,
    ChunkOut,
    Deleted,
    DocumentCommitments,
    DocumentDetail,
    DocumentIn,
    DocumentPage,
    DocumentReplace,
    DocumentSummary,
    GroupName,
    IngestReport,
)
from api.security import ReadCaller, WriteCaller
from service.facade import FILE_TYPES
from service.filters import countries_filter, languages_filter, text_filter

router = APIRouter(prefix="/v1/documents", tags=["documents"])

UPLOAD_TYPES = FILE_TYPES


def _body_kind(value: Any) -> str:
    return "bulk" if isinstance(value, dict) and "documents" in value else "single"


DocumentsBody = Annotated[
    Union[Annotated[DocumentIn, Tag("single")], Annotated[BulkDocumentsIn, Tag("bulk")]],
    Discriminator(_body_kind),
    Body(
        description="One document, or `{\"documents\": [...]}` for several.",
        openapi_examples={
            "one": {
                "summary": "One document",
                "value": {
                    "id": "gotland-2020",
                    "title": "Medborgarlöfte 2020 är signerat",
                    "text": "Polisen på Gotland och Region Gotland har i dag undertecknat ...",
                    "language": "sv",
                    "country": "SE",
                    "region": "Gotland",
                    "doc_type": "citizen_pledge",
                    "date": "2020-02-24",
                },
            },
            "bulk": {
                "summary": "Several documents",
                "value": {"documents": [{"id": "a", "text": "..."}, {"id": "b", "text": "..."}]},
            },
        },
    ),
]


def _finish(state, report: dict[str, Any]) -> dict[str, Any]:
    note(written=report["written"])
    if state.metrics is not None:
        state.metrics.count_ingestion(report)
    if not report["written"] and not report["unchanged"]:
        reasons = "; ".join(f"{s['source']}: {s['reason']}" for s in report["skipped"][:10]) or "no document was found in the input"
        raise ApiError(422, "not_indexed", f"nothing was indexed: {reasons}", {"skipped": report["skipped"], "report": report})
    return report


@router.post(
    "",
    response_model=IngestReport,
    summary="Add or update documents (JSON)",
    responses=error_responses(*PROTECTED, 413),
)
def add_documents(body: DocumentsBody, caller: WriteCaller, ahadi: Service, state: State) -> dict[str, Any]:
    """Index one document or several. A document whose id exists is replaced when its text or
    metadata changed and reported `unchanged` otherwise. Documents the pipeline rejects (empty
    after cleaning, ...) are listed in `skipped` with the reason; when nothing at all could be
    indexed the answer is 422 with those reasons."""
    docs = body.documents if isinstance(body, BulkDocumentsIn) else [body]
    limit = state.settings.max_bulk_documents
    if len(docs) > limit:
        raise ApiError(422, "too_many_documents", f"{len(docs)} documents in one request; at most {limit} (AHADI_MAX_BULK_DOCUMENTS)")
    return _finish(state, ingestion.documents(ahadi, docs))


@router.post(
    "/upload",
    response_model=IngestReport,
    summary="Add or update documents (file upload)",
    responses=error_responses(*PROTECTED, 413),
)
def upload_documents(
    files: Annotated[
        list[UploadFile],
        File(min_length=1, description=f"One or more files: {' '.join(UPLOAD_TYPES)}. A file's name (without extension) is its document id; "
             "a `.jsonl` file holds one document per line. A sidecar `<name>.meta.json` uploaded with its file gives its metadata."),
    ],
    caller: WriteCaller,
    ahadi: Service,
    state: State,
    access: Annotated[
        list[GroupName] | None,
        Form(description="The groups that may read the uploaded documents (repeat the field for several), unless a sidecar or JSONL line says otherwise. Absent: AHADI_DEFAULT_ACCESS."),
    ] = None,
) -> dict[str, Any]:
    """Index uploaded files exactly as `ahadi ingest` indexes files on disk. Files the reader
    cannot use (unsupported type, empty, unreadable, too large) are in `skipped` with the reason;
    when nothing could be indexed the answer is 422 with those reasons."""
    return _finish(state, state.uploads.ingest([(f.filename or "", f.file) for f in files], access=access))


def _encode_cursor(offset: str, fingerprint: str) -> str:
    raw = json.dumps({"o": offset, "f": fingerprint}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, fingerprint: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        offset = str(uuid.UUID(str(data["o"])))
        owner = data["f"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiError(422, "invalid_cursor", "the cursor is not one this API returned", {"field": "cursor"}) from None
    if owner != fingerprint:
        raise ApiError(422, "invalid_cursor", "the cursor belongs to a listing with other filters", {"field": "cursor"})
    return offset


@router.get("", response_model=DocumentPage, summary="List documents", responses=error_responses(*PROTECTED))
def list_documents(
    caller: ReadCaller,
    ahadi: Service,
    limit: Annotated[int, Query(ge=1, le=500, description="Documents per page (1-500).")] = 50,
    cursor: Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$", description="Opaque: the `next_cursor` of the previous page.")] = None,
    language: LanguageParam = [],  # noqa: B006
    country: CountryParam = [],  # noqa: B006
    region: RegionParam = [],  # noqa: B006
    doc_type: DocTypeParam = [],  # noqa: B006
) -> dict[str, Any]:
    """Documents (metadata only), page by page in a stable order. Follow `next_cursor` until it is null."""
    where = {
        "language": languages_filter(language),
        "country": countries_filter(country),
        "region": text_filter(region, "region"),
        "doc_type": text_filter(doc_type, "doc_type"),
    }
    where = {k: v for k, v in where.items() if v}
    fingerprint = hashlib.sha256(json.dumps(where, sort_keys=True).encode()).hexdigest()[:12]
    offset = _decode_cursor(cursor, fingerprint) if cursor else None
    records, next_offset = ahadi.documents(caller.reader, limit=limit, offset=offset, where=where)
    note(results=len(records))
    return {
        "documents": [_summary(r) for r in records],
        "next_cursor": _encode_cursor(next_offset, fingerprint) if next_offset else None,
        "total": ahadi.count_documents(caller.reader, where),
    }


DocIdPath = Annotated[str, Path(description="The document's id.", min_length=1, max_length=128)]
NewDocIdPath = Annotated[
    str, Path(description="The document's id (1-128 letters, digits, `.`, `_`, `-`; starting with a letter or digit).", pattern=DOC_ID_PATTERN, max_length=128),
]


@router.get("/{doc_id}", response_model=DocumentDetail, summary="Read a document", responses=error_responses(*PROTECTED, 404))
def get_document(
    doc_id: DocIdPath,
    caller: ReadCaller,
    ahadi: Service,
    include_text: Annotated[bool, Query(description="Also return the whole cleaned text.")] = False,
) -> dict[str, Any]:
    """A document's metadata and its passages (with their character offsets into the cleaned text)."""
    note(read=[doc_id])
    record = ahadi.document(caller.reader, doc_id)
    detail = _summary(record)
    detail["text"] = record.get("text") if include_text else None
    detail["chunks"] = [
        ChunkOut(
            chunk_id=f"{doc_id}#{c['chunk_index']}", chunk_index=c["chunk_index"], text=c.get("text", ""),
            start=c.get("start", 0), end=c.get("end", 0),
        ).model_dump()
        for c in ahadi.chunks(caller.reader, doc_id)
    ]
    return detail


@router.get(
    "/{doc_id}/commitments", response_model=DocumentCommitments, summary="List a document's commitments",
    responses=error_responses(*PROTECTED, 404),
)
def get_document_commitments(
    doc_id: DocIdPath, caller: ReadCaller, ahadi: Service,
    min_confidence: Annotated[float | None, Query(
        ge=0, le=1,
        description="Only commitments the extractor is at least this sure of (`commitment.confidence`), as the `min_confidence` filter of `POST /v1/commitments`.",
    )] = None,
) -> dict[str, Any]:
    """The commitments extracted from one document at ingestion, in the order they stand in it,
    each with its details (actors, quantity, target, year or deadline, heading, lead-in, paragraph,
    confidence)."""
    note(read=[doc_id])
    return ahadi.document_commitments(caller.reader, doc_id, min_confidence).to_dict()


@router.put("/{doc_id}", response_model=IngestReport, summary="Replace a document", responses=error_responses(*PROTECTED, 413))
def replace_document(
    doc_id: NewDocIdPath, body: Annotated[DocumentReplace, Body(description="The document's new text and metadata.")],
    caller: WriteCaller, ahadi: Service, state: State,
) -> dict[str, Any]:
    """Index this text and metadata under `doc_id`, replacing what was stored (or creating it).
    Metadata not given is not kept from the old version: send the whole document."""
    try:
        doc = DocumentIn(id=doc_id, **body.model_dump())
    except ValueError as error:
        raise ApiError(422, "invalid_request", f"doc_id {doc_id!r} cannot be used for a new document: {_first_error(error)}", {"field": "doc_id"}) from None
    return _finish(state, ingestion.documents(ahadi, [doc]))


@router.delete("/{doc_id}", response_model=Deleted, summary="Delete a document", responses=error_responses(*PROTECTED, 404))
def delete_document(doc_id: DocIdPath, caller: WriteCaller, ahadi: Service) -> dict[str, Any]:
    """Remove a document and all its passages."""
    record = ahadi.delete(caller.reader, doc_id)
    note(deleted=[doc_id])
    return {"doc_id": doc_id, "deleted": True, "chunks_removed": int(record.get("chunk_count") or 0)}


def _summary(record: dict[str, Any]) -> dict[str, Any]:
    fields = DocumentSummary.model_fields
    summary = {key: record.get(key) for key in fields if key in record}
    summary["organisations"] = record.get("organisations") or []
    summary["metadata"] = record.get("metadata") or {}
    return summary


def _first_error(error: Exception) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            return str(found[0].get("msg"))
    return str(error)
