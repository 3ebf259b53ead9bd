"""JSONL (``.jsonl``, ``.jsonl.gz``): streamed line by line, each line a record that becomes a
Document; a bad line is skipped with its line number, and the rest of the file is still read."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from haystack import Document

from ingest.readers.decoding import _normalize_text, _utf8_reason
from ingest.readers.fields import _apply_fields, _check_id, _claim_id, _empty_meta
from ingest.readers.skips import _Skip, _limit_text


def read_jsonl(
    path: Path, extension: str, sidecar: dict[str, Any], seen_ids: dict[str, str], max_file_bytes: int
) -> Iterator[Document | dict[str, str]]:
    source = str(path)
    try:
        if path.stat().st_size == 0:
            yield {"source": source, "reason": "empty file"}
            return
        raw = gzip.open(path, "rb") if extension == ".jsonl.gz" else path.open("rb")
    except OSError as error:
        yield {"source": source, "reason": f"cannot read the file: {error.strerror or error}"}
        return
    defaults = {k: v for k, v in sidecar.items() if k not in ("id", "title")}
    any_line = False
    with raw:
        try:
            head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
        except (OSError, EOFError, zlib.error) as error:
            yield {"source": source, "reason": f"not a valid gzip file: {error}"}
            return
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            lines: Iterator[tuple[int, bytes | str]] = _utf16_lines(raw)
        else:
            lines = _utf8_lines(raw, max_file_bytes)
        try:
            for number, line in lines:
                line_source = f"{source}#L{number}"
                if isinstance(line, bytes) and len(line) > max_file_bytes:
                    yield {
                        "source": line_source,
                        "reason": f"line {number}: the line is over the {_limit_text(max_file_bytes)} "
                        "limit (AHADI_MAX_FILE_MB)",
                    }
                    continue
                if not line.strip():
                    continue
                any_line = True
                try:
                    yield _jsonl_document(line, number, line_source, defaults, seen_ids)
                except _Skip as skip:
                    yield {"source": line_source, "reason": f"line {number}: {skip}"}
        except _Skip as skip:
            yield {"source": source, "reason": str(skip)}
            return
        except (OSError, EOFError, zlib.error) as error:
            yield {"source": source, "reason": f"stopped reading: damaged or truncated file ({error})"}
            return
    if not any_line:
        yield {"source": source, "reason": "empty file (no JSON lines)"}


def _utf8_lines(raw: io.BufferedIOBase, max_file_bytes: int) -> Iterator[tuple[int, bytes]]:
    number = 0
    limit = max_file_bytes + 1
    while True:
        line = raw.readline(limit)
        if not line:
            return
        number += 1
        if len(line) >= limit and not line.endswith(b"\n"):
            # over the limit: skip the rest of this line without keeping it
            while True:
                rest = raw.readline(1_000_000)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, line  # longer than max_file_bytes: reported by the caller
            continue
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        yield number, line


def _utf16_lines(raw: io.BufferedIOBase) -> Iterator[tuple[int, str]]:
    reader = io.TextIOWrapper(raw, encoding="utf-16", newline=None)
    number = 0
    try:
        for line in reader:
            number += 1
            yield number, line
    except UnicodeDecodeError:
        raise _Skip(f"not valid UTF-16 after line {number}; save it as UTF-8") from None


def _jsonl_document(
    line: bytes | str, number: int, line_source: str, defaults: dict[str, Any], seen_ids: dict[str, str]
) -> Document:
    if isinstance(line, bytes):
        if b"\x00" in line:
            raise _Skip("binary content (NUL bytes)")
        try:
            text_line = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _Skip(_utf8_reason(line, error, where=" of the line")) from None
    else:
        text_line = line
    try:
        record = json.loads(text_line)
    except json.JSONDecodeError as error:
        raise _Skip(f"not valid JSON ({error.msg} at column {error.colno})") from None
    return record_document(record, line_source, line_source, defaults, seen_ids)


def record_document(
    record: Any, source: str, place: str, defaults: dict[str, Any], seen_ids: dict[str, str]
) -> Document:
    """One JSONL-shaped record → a Document; `source` is stored, `place` names it in messages."""
    if not isinstance(record, dict):
        raise _Skip(f"must be a JSON object, not {type(record).__name__}")
    if "id" not in record:
        raise _Skip('missing "id"')
    if "text" not in record:
        raise _Skip('missing "text"')
    if not isinstance(record["text"], str):
        raise _Skip(f'"text" must be a string, got {type(record["text"]).__name__}')
    raw_id = record["id"]
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    doc_id = _check_id(raw_id)
    meta = _empty_meta(doc_id, source)
    _apply_fields(meta, defaults)
    _apply_fields(meta, {k: v for k, v in record.items() if k not in ("id", "text")})
    if "\x00" in record["text"]:
        raise _Skip('"text" contains NUL characters (binary content)')
    text = _normalize_text(record["text"])
    if not text:
        raise _Skip('"text" is empty')
    if meta["title"] is not None:
        meta["title"] = unicodedata.normalize("NFC", meta["title"])
    _claim_id(doc_id, place, seen_ids)
    return Document(id=doc_id, content=text, meta=meta)
