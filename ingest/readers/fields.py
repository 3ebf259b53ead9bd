"""The meta of a document: its empty shape, and the fields a person supplies (in a sidecar or a
JSONL record) validated and merged into it; document ids."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from index.access import check_groups
from ingest.readers.skips import _Skip

#: Document ids: letters, digits, ``. _ -``, starting with a letter or digit, at most 128 characters.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
#: Meta keys promoted from sidecars and JSONL ``metadata`` to the top level of ``meta``.
PROMOTED_KEYS: tuple[str, ...] = ("country", "region", "doc_type", "organisations", "date", "year")


def _empty_meta(doc_id: str, source: str) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "source": source,
        "title": None,
        "language": None,
        "country": None,
        "region": None,
        "doc_type": None,
        "organisations": [],
        "date": None,
        "year": None,
        "metadata": {},
        "access": None,  # not declared: the ingestion gives it the configured default
    }


def _optional_str(key: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Skip(f'"{key}" must be a string, got {type(value).__name__}')
    text = " ".join(str(value).split())
    return text or None


def _organisations(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Skip('"organisations" must be a list of strings')
    return [" ".join(v.split()) for v in value if v.strip()]


def _access(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise _Skip('"access" must be a group name or a non-empty list of them')
    try:
        return check_groups(value, '"access"')
    except ValueError as error:
        raise _Skip(str(error)) from None


def _date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        match = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$", text)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
            except ValueError:
                pass
    raise _Skip(f'"date" must be an ISO date "YYYY-MM-DD", got {value!r}')


def _year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Skip(f'"year" must be a whole number, got {value!r}')
    if isinstance(value, int):
        year = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        year = int(value)
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    else:
        raise _Skip(f'"year" must be a whole number, got {value!r}')
    if not 1000 <= year <= 2999:
        raise _Skip(f'"year" must be a four-digit year, got {value!r}')
    return year


def _apply_fields(meta: dict[str, Any], fields: dict[str, Any], allow_identity: bool = True) -> None:
    """Validate and merge user-supplied fields (sidecar or JSONL) into meta, in place."""
    for key, value in fields.items():
        if key == "evidence" or key == "id":
            continue
        if key in ("title", "text") and not allow_identity:
            continue
        if key == "title":
            meta["title"] = _optional_str("title", value)
        elif key == "language":
            language = _optional_str("language", value)
            meta["language"] = language.lower() if language else None
        elif key in ("country", "region", "doc_type"):
            meta[key] = _optional_str(key, value)
        elif key == "organisations":
            meta["organisations"] = _organisations(value)
        elif key == "access":
            meta["access"] = _access(value)
        elif key == "date":
            meta["date"] = _date(value)
        elif key == "year":
            meta["year"] = _year(value)
        elif key == "metadata":
            if value is None:
                continue
            if not isinstance(value, dict):
                raise _Skip('"metadata" must be a JSON object')
            nested = {k: v for k, v in value.items() if k in PROMOTED_KEYS}
            others = {k: v for k, v in value.items() if k not in PROMOTED_KEYS and k != "evidence"}
            meta["metadata"] = {**meta["metadata"], **others}
            _apply_fields(meta, nested)
        elif key != "text":
            meta["metadata"] = {**meta["metadata"], key: value}
    if meta["year"] is None and meta["date"] is not None:
        meta["year"] = int(meta["date"][:4])


def _check_id(doc_id: Any) -> str:
    if not isinstance(doc_id, str) or not ID_PATTERN.fullmatch(doc_id):
        shown = doc_id if isinstance(doc_id, str) else repr(doc_id)
        extra = ' ("#" is reserved for chunk ids)' if isinstance(doc_id, str) and "#" in doc_id else ""
        raise _Skip(
            f'document id "{shown}" is not valid{extra}: ids are 1-128 letters, digits, ".", "_" or "-", '
            "starting with a letter or digit"
        )
    return doc_id


def _claim_id(doc_id: str, source: str, seen_ids: dict[str, str]) -> None:
    """Record that `source` uses `doc_id`; a second use within one run is skipped."""
    first = seen_ids.get(doc_id)
    if first is not None:
        raise _Skip(f'document id "{doc_id}" already used by {first}')
    seen_ids[doc_id] = source
