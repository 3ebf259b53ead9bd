"""Request and response bodies of the API (pydantic), with the descriptions OpenAPI shows."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from service.access import GROUP_PATTERN
from service.facade import DOC_ID_PATTERN
from service.filters import MAX_FILTER_VALUES

MAX_QUERY_CHARS = 2000
MAX_TOP_K = 100
MAX_OFFSET = 1000

DocId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=128,
        pattern=DOC_ID_PATTERN,
        description="The document's id: 1-128 letters (A-Z, a-z), digits, `.`, `_` or `-`, starting with a letter or digit.",
        examples=["gotland-pledge-2020"],
    ),
]
GroupName = Annotated[str, Field(pattern=GROUP_PATTERN, description="A group: 1-128 characters, no comma, not `*`.", examples=["police"])]
# "Has a character that is not white space" in Python's sense (what `str.strip()` removes).
NOT_BLANK = r"[^\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
QueryText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        pattern=NOT_BLANK,
        description=f"The question, in any language (at most {MAX_QUERY_CHARS} characters).",
        examples=["Which treatment programme for violent men did Gotland promise?"],
    ),
]
Mode = Literal["dense", "hybrid"]


def _as_list(value: Any) -> Any:
    """One value where a list is expected is a list of one: `"year": 2023` as `"year": [2023]`."""
    if value is None:
        return []
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [value]
    return value


LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
COUNTRY_PATTERN = r"^[A-Za-z]{2}$"
TEXT_VALUE_PATTERN = r"^[^\x00-\x1f\x7f]+$"
LanguageCode = Annotated[str, Field(pattern=LANGUAGE_PATTERN, max_length=32)]
CountryCode = Annotated[str, Field(pattern=COUNTRY_PATTERN)]
FilterText = Annotated[str, Field(min_length=1, max_length=200, pattern=TEXT_VALUE_PATTERN)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------ filters
class Filters(StrictModel):
    """Restrictions on what is searched. Every list accepts one value or several (any of them matches)."""

    language: list[LanguageCode] = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="Language codes (`sv`, `sw`, `cnr`, `fa`, `en`; `sv-SE`, `swe` are understood); `hbs` means any Serbo-Croatian variant.", examples=[["sv"]])
    country: list[CountryCode] = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="ISO 3166-1 alpha-2 country codes (`SE`, `GB`, `ME`, `IR`), any case.", examples=[["SE"]])
    region: list[FilterText] = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="Regions or municipalities, as stored (`Gotland`) or as the place lists spell them (`Belgrade`), and the places inside them (`Gotlands län` finds Gotland).", examples=[["Gotland"]])
    doc_type: list[FilterText] = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="Document types, as stored (`citizen_pledge`, `news_release`).", examples=[["citizen_pledge"]])
    organisation: list[FilterText] = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="Organisations named in the document, as stored.")
    year: list[Annotated[int, Field(ge=1000, le=2999)]] = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="Years of the documents (given, or that of their date); undated documents with a year match too.", examples=[[2020]])
    date_from: dt.date | None = Field(default=None, description="Only documents dated on or after this day (YYYY-MM-DD). Undated documents are left out when a date bound is set.")
    date_to: dt.date | None = Field(default=None, description="Only documents dated on or before this day (YYYY-MM-DD).")
    min_confidence: float | None = Field(default=None, ge=0, le=1, description="Commitment searches only (`/v1/commitments`, `/v1/commitments/compare`): only commitments the extractor is at least this sure of (`commitment.confidence`; higher ones are right more often, README \"Commitments\"). Refused on passage searches.", examples=[0.85])

    _as_lists = field_validator("language", "country", "region", "doc_type", "organisation", "year", mode="before")(_as_list)


# ------------------------------------------------------------------ documents in
class DocumentIn(StrictModel):
    """One document to add or replace. It goes through the same pipeline as `ahadi ingest`."""

    id: DocId
    text: str = Field(min_length=1, description="The document's full text (plain text).")
    title: str | None = Field(default=None, max_length=1000, description="Its title; by default the first line of the text.")
    language: str | None = Field(default=None, max_length=32, description="Declared language; detected from the text when absent.")
    country: str | None = Field(default=None, max_length=64, description="ISO alpha-2 country code (or country name).")
    region: str | None = Field(default=None, max_length=200, description="Region or municipality.")
    doc_type: str | None = Field(default=None, max_length=100, description="Kind of document, e.g. `citizen_pledge`.")
    organisations: list[str] = Field(default_factory=list, description="Organisations behind or named in the document.")
    date: dt.date | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    year: int | None = Field(default=None, ge=1000, le=2999, description="Year, when the full date is unknown.")
    metadata: dict[str, Any] = Field(default_factory=dict, description="Any other fields; stored and returned as given. The keys country, region, doc_type, organisations, date and year inside it are read like the fields above.")
    access: list[GroupName] | None = Field(default=None, min_length=1, max_length=50, description="The groups that may read it (`police`, `social-services`); `public` is every caller. Absent: the server's AHADI_DEFAULT_ACCESS.")


class DocumentReplace(StrictModel):
    """A document's new content: the id comes from the path."""

    text: str = Field(min_length=1, description="The document's full text (plain text).")
    title: str | None = Field(default=None, max_length=1000)
    language: str | None = Field(default=None, max_length=32)
    country: str | None = Field(default=None, max_length=64)
    region: str | None = Field(default=None, max_length=200)
    doc_type: str | None = Field(default=None, max_length=100)
    organisations: list[str] = Field(default_factory=list)
    date: dt.date | None = None
    year: int | None = Field(default=None, ge=1000, le=2999)
    metadata: dict[str, Any] = Field(default_factory=dict)
    access: list[GroupName] | None = Field(default=None, min_length=1, max_length=50, description="The groups that may read it (`police`, `social-services`); `public` is every caller. Absent: the server's AHADI_DEFAULT_ACCESS.")


class BulkDocumentsIn(StrictModel):
    """Several documents in one request."""

    documents: list[DocumentIn] = Field(min_length=1, description="The documents. An id given twice: the later one is skipped, with the reason, as `ahadi ingest` does.")


# ------------------------------------------------------------------ ingestion out
class SkippedInput(BaseModel):
    source: str = Field(description="The file name (or `documents.jsonl:<line>` for JSON documents) that was skipped.")
    reason: str = Field(description="Why it was not indexed.")
    doc_id: str | None = Field(default=None, description="The document id, when known.")


class IngestReport(BaseModel):
    """What the ingestion did, as `ahadi ingest --json` reports it."""

    written: list[str] = Field(description="Ids of documents added or replaced.")
    unchanged: list[str] = Field(description="Ids of documents already indexed with the same content and metadata.")
    skipped: list[SkippedInput] = Field(description="Inputs not indexed, with the reason.")
    chunks: int = Field(description="Passages written.")
    commitments: int = Field(description="Commitments extracted and written.")
    languages: dict[str, int] = Field(description="Languages of the documents processed (written or re-written).")
    seconds: float


# ------------------------------------------------------------------ documents out
class ChunkOut(BaseModel):
    chunk_id: str = Field(description="`<doc_id>#<chunk_index>`.")
    chunk_index: int
    text: str
    start: int = Field(description="Offset of the passage's first character in the document's cleaned text.")
    end: int = Field(description="Offset just past its last character.")


class DocumentSummary(BaseModel):
    doc_id: str
    title: str | None = None
    language: str | None = None
    detected_language: str | None = None
    country: str | None = None
    region: str | None = None
    country_source: Literal["sidecar", "text"] | None = Field(default=None, description="Where `country` comes from: `sidecar` (declared with the document: a `.meta.json` sidecar, a JSONL or API field) or `text` (inferred from the text; the evidence is in `extracted`); null when unknown.")
    region_source: Literal["sidecar", "text"] | None = Field(default=None, description="Where `region` comes from, as `country_source`.")
    doc_type: str | None = None
    organisations: list[str] = Field(default_factory=list)
    date: str | None = None
    year: int | None = None
    extracted: dict[str, Any] = Field(default_factory=dict, description="For each field filled from the text (country, region, date, year, organisations, places): the passage it was read from.")
    source: str | None = Field(default=None, description="Where it was ingested from (file name or JSONL line).")
    metadata: dict[str, Any] = Field(default_factory=dict)
    chunk_count: int | None = None
    ingested_at: str | None = None
    version: str | None = Field(default=None, description="Fingerprint of the indexed content; changes when the document does.")
    access: list[str] = Field(default_factory=list, description="The groups that may read it.")


class DocumentDetail(DocumentSummary):
    text: str | None = Field(default=None, description="The cleaned text (only with `include_text=true`).")
    chunks: list[ChunkOut] = Field(default_factory=list, description="Its passages in order.")


class DocumentPage(BaseModel):
    documents: list[DocumentSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    total: int = Field(description="Documents matching the filters.")


class Deleted(BaseModel):
    doc_id: str
    deleted: bool = True
    chunks_removed: int


# ------------------------------------------------------------------ search
class SearchRequest(StrictModel):
    query: QueryText
    filters: Filters = Field(default_factory=Filters)
    top_k: int = Field(default=10, ge=1, le=MAX_TOP_K, description="How many results (1-100).")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="Results to skip, for paging (0-1000).")
    group_by_document: bool = Field(default=True, description="At most one passage (the best) per document.")
    mode: Mode | None = Field(default=None, description="`dense` (cross-lingual vectors) or `hybrid` (dense fused with BM25 keywords). Default: dense.")
    query_language: LanguageCode | None = Field(default=None, description="The query's language; detected when absent.")


class CommitmentDetails(BaseModel):
    actors: list[str] | None = Field(default=None, description="Organisations that make the commitment, as named in the document.")
    quantity: str | None = Field(default=None, description="A number or amount stated in it (\"fem\", \"3 هزار\"), if any.")
    target: str | None = Field(default=None, description="What it aims at, when a simple pattern finds it.")
    year: int | None = Field(default=None, description="The year or deadline year stated in it (Gregorian).")
    deadline: str | None = Field(default=None, description="The deadline as written, with its Gregorian equivalent for Solar Hijri years.")
    heading: str | None = Field(default=None, description="The pledge heading it is listed under, if any.")
    context: str | None = Field(default=None, description="For a listed item: the start of its list's lead-in paragraph, embedded with the item (it says what the list is about).")
    passage: str | None = Field(default=None, description="The paragraph around it.")
    confidence: float | None = Field(default=None, description="The learned decision's probability that this is a commitment (0-1; statements are extracted from its threshold up, and higher ones are right more often: README, \"Commitments\"); null where the rules decided (a model without the learned decision).")


class SearchHit(BaseModel):
    doc_id: str
    chunk_id: str
    chunk_index: int
    title: str | None
    language: str | None
    country: str | None
    region: str | None
    date: str | None = Field(description="YYYY-MM-DD, when known.")
    year: int | None
    doc_type: str | None
    organisations: list[str]
    text: str = Field(description="The passage.")
    highlighted: str = Field(description="The passage HTML-escaped, with the query's words (stems, prefixes) in `<mark>`…`</mark>`. Cross-lingual hits may have no marks.")
    score: float = Field(description="Similarity (dense) or fused rank score (hybrid); higher is better, comparable only within one response.")
    start: int = Field(description="Offset of the passage's first character in the document's cleaned text.")
    end: int = Field(description="Offset just past its last character.")
    commitment: CommitmentDetails | None = Field(default=None, description="For commitment hits (`/v1/commitments`): what the statement promises; null for passages.")


class SearchResponse(BaseModel):
    query: str
    query_language: str | None = Field(description="The language the query was embedded as (given or detected).")
    mode: Mode
    top_k: int
    offset: int
    next_offset: int | None = Field(description="`offset` of the next page; null when this page was not full.")
    results: list[SearchHit]


class DocumentCommitment(BaseModel):
    chunk_id: str = Field(description="`<doc_id>!c<n>`.")
    chunk_index: int
    text: str = Field(description="The statement.")
    start: int = Field(description="Offset of its first character in the document's cleaned text.")
    end: int = Field(description="Offset just past its last character.")
    commitment: CommitmentDetails | None


class DocumentCommitments(BaseModel):
    doc_id: str
    title: str | None
    language: str | None
    country: str | None
    region: str | None
    commitments: list[DocumentCommitment] = Field(description="In the order they stand in the document.")


# ------------------------------------------------------------------ similar
class SimilarRequest(StrictModel):
    """Either a stored document (`doc_id`, optionally one `chunk_id` of it) or a `text`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [
                {"required": ["doc_id"], "properties": {"doc_id": {"type": "string"}}},
                {"required": ["text"], "properties": {"text": {"type": "string"}}},
            ],
            # chunk_id (when not null) needs a doc_id that is not null
            "dependentSchemas": {
                "chunk_id": {
                    "anyOf": [
                        {"properties": {"chunk_id": {"type": "null"}}},
                        {"required": ["doc_id"], "properties": {"doc_id": {"type": "string"}}},
                    ]
                }
            },
        },
    )

    doc_id: DocId | None = Field(default=None, description="Find passages like this document's (any of its passages).")
    chunk_id: str | None = Field(default=None, max_length=140, pattern=r"^([A-Za-z0-9][A-Za-z0-9._-]{0,127}#)?[0-9]{1,9}$", description="Only this passage of the document (`<doc_id>#<n>`, or just `<n>`).")
    text: str | None = Field(default=None, min_length=1, max_length=20000, pattern=NOT_BLANK, description="Or: find passages like this text.")
    language: LanguageCode | None = Field(default=None, description="The text's language (detected when absent); ignored with `doc_id`.")
    other_languages_only: bool = Field(default=False, description="Only passages in a language other than the source's.")
    filters: Filters = Field(default_factory=Filters)
    top_k: int = Field(default=10, ge=1, le=MAX_TOP_K, description="How many documents (one passage each).")

    @model_validator(mode="after")
    def _one_source(self) -> "SimilarRequest":
        if (self.doc_id is None) == (self.text is None):
            raise ValueError("give exactly one of doc_id (optionally with chunk_id) or text")
        if self.chunk_id is not None and self.doc_id is None:
            raise ValueError("chunk_id needs doc_id")
        return self


class SimilarHit(SearchHit):
    source_chunk_id: str | None = Field(description="The source document's passage this hit is closest to (null for a text).")


class SimilarResponse(BaseModel):
    source: dict[str, Any] = Field(description="What was compared: doc_id/chunk_id or text, and its language.")
    results: list[SimilarHit]


# ------------------------------------------------------------------ compare
class CompareRequest(StrictModel):
    topic: QueryText
    group_by: Literal["region", "country"] = Field(default="region", description="Compare regions (default) or countries.")
    per_group: int = Field(default=3, ge=1, le=10, description="Passages per region or country (1-10).")
    max_groups: int = Field(default=20, ge=1, le=100, description="Regions or countries to show at most, those with the best matches first.")
    group_by_document: bool = Field(default=False, description="At most one passage per document within a group.")
    filters: Filters = Field(default_factory=Filters)
    mode: Mode | None = None
    query_language: LanguageCode | None = None


class CompareGroup(BaseModel):
    key: str | None = Field(description="The region (or country); null for the documents whose region (or country) is unknown.")
    label: str = Field(description="The key as shown: the region (or country), or `region unknown` (`country unknown`).")
    country: str | None = Field(description="The region's country (most frequent among its passages), or the country itself.")
    documents: int = Field(description="Documents of this group under the filters.")
    best_score: float
    passages: list[SearchHit]


class CompareResponse(BaseModel):
    topic: str
    query_language: str | None
    group_by: Literal["region", "country"]
    groups: list[CompareGroup] = Field(description="Groups ordered by their best passage's score.")
    groups_total: int = Field(description="Groups present under the filters (before `max_groups`).")


# ------------------------------------------------------------------ facets
class FacetValue(BaseModel):
    value: str | int
    count: int
    within: str | None = Field(default=None, description="Regions only: the nearest region that holds this one (Skåne län for Malmö), itself listed in the facet; null at the top or when the place lists do not know it.")


class FacetsResponse(BaseModel):
    scope: Literal["index", "top_results"] = Field(description="`index`: every document under the filters; `top_results`: the documents among the query's top `top_n` results.")
    query: str | None
    counted: Literal["documents"] = "documents"
    facets: dict[str, list[FacetValue]] = Field(description="Per field (language, country, region, doc_type, organisations, year): values with document counts, most frequent first. A region's count takes in the documents of the places inside it, as the region filter does, and the regions that hold a stored region are listed too (with `within`), so a wider region can be chosen.")


# ------------------------------------------------------------------ system
class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    ready: bool
    model_loaded: bool
    store_open: bool
    error: str | None = None
    documents: int | None = None
    chunks: int | None = None


class ErrorInfo(BaseModel):
    status: int
    code: str = Field(description="Stable machine-readable code, e.g. `invalid_request`, `not_found`, `missing_api_key`.")
    message: str = Field(description="What was wrong, for a person.")
    details: Any = None


class ErrorResponse(BaseModel):
    error: ErrorInfo
