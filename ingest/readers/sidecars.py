"""Sidecar metadata: ``NAME.meta.json`` beside ``NAME.ext``, a JSON object read into the
document's meta; a sidecar with no document beside it is reported."""

from __future__ import annotations

import glob
import json
from pathlib import Path
from typing import Any

from ingest.formats import SIDECAR_SUFFIX, SUPPORTED_EXTENSIONS
from ingest.readers.decoding import _decode_text
from ingest.readers.fields import _apply_fields, _empty_meta
from ingest.readers.skips import _Skip, _size_text
from ingest.readers.walking import extension_of

_MAX_SIDECAR_BYTES = 1_000_000


def orphan_sidecar_reason(path: Path) -> str | None:
    """For a sidecar `path` with no document beside it, the reason it is reported; else None."""
    base = path.name[: -len(SIDECAR_SUFFIX)]
    siblings = [p for p in path.parent.glob(f"{glob.escape(base)}.*") if not p.name.lower().endswith(SIDECAR_SUFFIX)]
    if siblings:
        return None
    return (
        f"metadata sidecar without a document: no {base}.<ext> beside it "
        f"(supported: {', '.join(SUPPORTED_EXTENSIONS)})"
    )


def read_sidecar(path: Path) -> dict[str, Any]:
    """The sidecar of the document at `path` (``{}`` when it has none)."""
    name = path.name
    extension = extension_of(path)
    stem = name[: -len(extension)] if extension and name.lower().endswith(extension) else path.stem
    sidecar_path = path.with_name(stem + SIDECAR_SUFFIX)
    if not sidecar_path.is_file():
        return {}
    try:
        size = sidecar_path.stat().st_size
        if size > _MAX_SIDECAR_BYTES:
            raise _Skip(f"sidecar {sidecar_path.name} is {_size_text(size)}, over the 1 MB limit for metadata")
        data = json.loads(_decode_text(sidecar_path.read_bytes()))
    except _Skip as skip:
        raise _Skip(f"sidecar {sidecar_path.name}: {skip}") from None
    except json.JSONDecodeError as error:
        raise _Skip(
            f"sidecar {sidecar_path.name} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except OSError as error:
        raise _Skip(f"cannot read sidecar {sidecar_path.name}: {error.strerror or error}") from None
    if not isinstance(data, dict):
        raise _Skip(f"sidecar {sidecar_path.name} must hold a JSON object, not {type(data).__name__}")
    return data


def sidecar_meta(doc_id: str, source: str, sidecar: dict[str, Any], what: str) -> dict[str, Any]:
    """A document's meta with its sidecar's fields applied; a bad field's reason names `what`."""
    meta = _empty_meta(doc_id, source)
    try:
        _apply_fields(meta, sidecar)
    except _Skip as skip:
        raise _Skip(f"{what}: {skip}") from None
    return meta
