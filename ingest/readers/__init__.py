"""Read documents from files and folders into Haystack Documents, skipping bad input with a reason.

Formats: ``.txt``, ``.md``, ``.html``/``.htm``, ``.pdf``, ``.docx``, ``.jsonl`` (and ``.jsonl.gz``,
read as a stream). Folders are walked recursively in sorted order; hidden files and folders
(name starting with ".") and ``*.meta.json`` sidecars are not read as documents.

A ``.txt`` file's title is the first line of its head that reads as one (`ingest.readers.plain`);
a sidecar's title wins.

Every whole document is ``Document(id=doc_id, content=text, meta=...)`` with the meta keys
``doc_id source title language country region doc_type organisations date year metadata``
(missing ones present as None / [] / {}). Text is Unicode NFC, with ``\\n`` line ends,
stripped of leading/trailing whitespace.

Sidecar metadata: ``NAME.meta.json`` beside ``NAME.ext`` (a JSON object) supplies ``id``,
``title``, ``language``, ``country``, ``region``, ``doc_type``, ``organisations``, ``date``,
``year``; other keys go to ``meta["metadata"]``; ``evidence`` is ignored. Beside a ``.jsonl``
file the sidecar gives defaults for every line (not ``id``/``title``).

JSONL lines: ``{"id", "text", "title"?, "language"?, "metadata"?}``. The known keys
(country, region, doc_type, organisations, date, year) are taken from inside ``metadata``
and also from the top level; other keys stay in ``metadata``. ``max_file_bytes`` applies to
each line of a JSONL file (the file itself may be larger: it is streamed line by line).

Nothing raises for a bad file: it is yielded as ``{"source": ..., "reason": ...}``, where the
reason is a sentence saying what is wrong and, where it helps, what to do.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict, logging

from ingest.formats import SIDECAR_SUFFIX, SUPPORTED_EXTENSIONS
from ingest.readers.decoding import _decode_text, _normalize_text
from ingest.readers.docx import DOCX_MAX_COMPRESSION_RATIO, DOCX_MAX_UNCOMPRESSED_BYTES, docx_text
from ingest.readers.fields import ID_PATTERN, PROMOTED_KEYS, _check_id, _claim_id
from ingest.readers.html import html_to_text
from ingest.readers.jsonl import read_jsonl, record_document
from ingest.readers.markdown import markdown_to_text
from ingest.readers.pdf import pdf_text
from ingest.readers.plain import plain_title
from ingest.readers.sidecars import orphan_sidecar_reason, read_sidecar, sidecar_meta
from ingest.readers.skips import _limit_text, _size_text, _Skip
from ingest.readers.walking import extension_of, walk

__all__ = [
    "DOCX_MAX_COMPRESSION_RATIO",
    "DOCX_MAX_UNCOMPRESSED_BYTES",
    "ID_PATTERN",
    "PROMOTED_KEYS",
    "DocumentReader",
    "html_to_text",
    "markdown_to_text",
]

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------- the component
# Defined here, not in a submodule, so that its `to_dict()["type"]` stays ``ingest.readers.DocumentReader``.
@component
class DocumentReader:
    """
    Reads files and folders into whole Documents; bad inputs become ``skipped`` entries.

    ``run(sources)`` returns everything at once; ``iter_documents(sources)`` yields
    ``Document`` or skipped ``{"source", "reason"}`` items one by one, in order, streaming
    JSONL line by line, so a pipeline can batch from it with bounded memory. Document ids
    must be unique within one call: a later document with an id already seen is skipped,
    with a reason naming the first source.

    ### Usage example

    ```python
    from ingest.readers import DocumentReader

    result = DocumentReader().run(sources=["corpus/"])
    result["documents"][0].meta["source"], result["skipped"]
    ```
    """

    def __init__(self, max_file_bytes: int = 20_000_000) -> None:
        """
        Create a DocumentReader.

        :param max_file_bytes: Files larger than this are skipped without being read
            (for JSONL: each line). The CLI takes it from ``AHADI_MAX_FILE_MB``, see
            :func:`max_file_bytes_from_env`.
        :raises ValueError: if max_file_bytes is not a positive integer.
        """
        if isinstance(max_file_bytes, bool) or not isinstance(max_file_bytes, int) or max_file_bytes <= 0:
            raise ValueError(f"max_file_bytes must be a positive integer (bytes), got {max_file_bytes!r}.")
        self.max_file_bytes = max_file_bytes

    @component.output_types(documents=list[Document], skipped=list[dict[str, str]])
    def run(self, sources: list[str | Path]) -> dict[str, Any]:
        """
        Read all sources.

        :param sources: Files and/or folders (folders are read recursively, in sorted order).
        :returns: ``documents``: the documents read; ``skipped``: ``{"source", "reason"}``
            for each file, JSONL line or source that could not be read.
        """
        documents: list[Document] = []
        skipped: list[dict[str, str]] = []
        for item in self.iter_documents(sources):
            if isinstance(item, Document):
                documents.append(item)
            else:
                skipped.append(item)
        return {"documents": documents, "skipped": skipped}

    def iter_documents(self, sources: Iterable[str | Path]) -> Iterator[Document | dict[str, str]]:
        """Yield a Document or a skipped ``{"source", "reason"}`` for each input, in order."""
        seen_ids: dict[str, str] = {}
        seen_files: set[str] = set()
        if isinstance(sources, (str, Path)):
            sources = [sources]
        for source in sources:
            path = Path(source)
            try:
                is_dir = path.is_dir()
                exists = is_dir or path.exists()
            except OSError as error:
                yield {"source": str(source), "reason": f"cannot access it: {error.strerror or error}"}
                continue
            if not exists:
                yield {"source": str(source), "reason": "no such file or folder"}
                continue
            if is_dir:
                files = list(walk(path))
                if not any(isinstance(f, Path) for f in files):
                    yield {"source": str(source), "reason": "folder has no documents (hidden files and *.meta.json sidecars are not read)"}
                for entry in files:
                    if isinstance(entry, dict):
                        yield entry
                    else:
                        yield from self._read_path(entry, seen_ids, seen_files, explicit=False)
            else:
                yield from self._read_path(path, seen_ids, seen_files, explicit=True)

    def _read_path(
        self, path: Path, seen_ids: dict[str, str], seen_files: set[str], explicit: bool
    ) -> Iterator[Document | dict[str, str]]:
        source = str(path)
        if path.name.lower().endswith(SIDECAR_SUFFIX):
            reason = orphan_sidecar_reason(path)
            if reason is not None:
                yield {"source": source, "reason": reason}
            return
        try:
            key = str(path.resolve())
        except OSError:
            key = source
        if key in seen_files:
            yield {"source": source, "reason": "already read in this run (the file was listed twice)"}
            return
        seen_files.add(key)
        extension = extension_of(path)
        if extension not in SUPPORTED_EXTENSIONS:
            shown = extension or "(no extension)"
            yield {
                "source": source,
                "reason": f"unsupported file type {shown}; supported: {', '.join(SUPPORTED_EXTENSIONS)}",
            }
            return
        try:
            sidecar = read_sidecar(path)
        except _Skip as skip:
            yield {"source": source, "reason": str(skip)}
            return
        if extension in (".jsonl", ".jsonl.gz"):
            yield from read_jsonl(path, extension, sidecar, seen_ids, self.max_file_bytes)
            return
        try:
            yield self._read_file(path, extension, sidecar, seen_ids)
        except _Skip as skip:
            yield {"source": source, "reason": str(skip)}
        except Exception as error:  # noqa: BLE001 - a bad file must never stop a run
            logger.warning("Unexpected error reading {source}: {error}", source=source, error=error)
            yield {"source": source, "reason": f"could not be read: {type(error).__name__}: {error}"}

    # ------------------------------------------------------------------ single files
    def _read_file(self, path: Path, extension: str, sidecar: dict[str, Any], seen_ids: dict[str, str]) -> Document:
        source = str(path)
        doc_id = _check_id(sidecar["id"] if "id" in sidecar else path.name[: -len(extension)])
        meta = sidecar_meta(doc_id, source, sidecar, f"sidecar {path.name[: -len(extension)]}{SIDECAR_SUFFIX}")
        try:
            size = path.stat().st_size
        except OSError as error:
            raise _Skip(f"cannot read the file: {error.strerror or error}") from None
        if size == 0:
            raise _Skip("empty file")
        if size > self.max_file_bytes:
            raise _Skip(f"file is {_size_text(size)}, over the {_limit_text(self.max_file_bytes)} limit (AHADI_MAX_FILE_MB)")
        title: str | None = None
        if extension == ".pdf":
            text, title = pdf_text(path)
        elif extension == ".docx":
            text, title = docx_text(path)
        else:
            try:
                raw = path.read_bytes()
            except OSError as error:
                raise _Skip(f"cannot read the file: {error.strerror or error}") from None
            text = _decode_text(raw)
            if extension == ".md":
                text, title = markdown_to_text(text)
            elif extension in (".html", ".htm"):
                text, title = html_to_text(text)
            else:
                title = plain_title(text)
        text = _normalize_text(text)
        if not text:
            raise _Skip("empty file" if extension in (".txt", ".md") else "no text found in the file")
        if meta["title"] is None and title:
            meta["title"] = unicodedata.normalize("NFC", title)
        _claim_id(doc_id, source, seen_ids)
        return Document(id=doc_id, content=text, meta=meta)

    def iter_records(self, records: Iterable[Any], source: str) -> Iterator[Document | dict[str, str]]:
        """Documents given as JSONL-shaped records, not read from a file: a Document, or a skipped
        ``{"source": "documents[i]", "reason", "doc_id"?}``, for each. The stored records say they
        came from `source`."""
        seen_ids: dict[str, str] = {}
        for index, record in enumerate(records):
            place = f"documents[{index}]"
            try:
                yield record_document(record, source, place, {}, seen_ids)
            except _Skip as skip:
                skipped = {"source": place, "reason": str(skip)}
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    skipped["doc_id"] = record["id"]
                yield skipped

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(self, max_file_bytes=self.max_file_bytes)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DocumentReader":
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)


