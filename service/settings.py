"""Settings: the one object every `AHADI_*` environment variable is read into (pydantic-settings).

Precedence: defaults, then the environment, then explicit overrides (`Settings.from_env(data_dir=...)`;
an override of None is ignored, so a CLI option left out keeps the environment's value).
Parsing rules, the same for every variable: surrounding whitespace is stripped and a value that is
empty after stripping counts as unset; numbers must be more than 0, except `AHADI_RATE_LIMIT`,
where 0 turns the limit off. A bad value is a `ValueError` that names the variable.

This is the only module that reads the environment. Nothing below the facade (`service.facade`)
imports it: the index and the stores get the values they need passed in.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from index.cpu import default_encoder_backend
from index.model import ADAPTED_MODEL, ENCODER_BACKENDS
from index.access import PUBLIC_GROUP, check_groups

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class DataDir:
    """What lives where under `AHADI_DATA_DIR`: the one place that names these paths."""

    root: Path

    @property
    def index(self) -> Path:
        """The embedded Qdrant Edge shard (unused with `AHADI_QDRANT_URL`)."""
        return self.root / "index"

    @property
    def keys_file(self) -> Path:
        """The API keys, hashed (`ahadi keys`)."""
        return self.root / "api_keys.json"

    @property
    def snapshots(self) -> Path:
        """Snapshots taken through the API (`POST /v1/snapshots`)."""
        return self.root / "snapshots"

    @property
    def audit_file(self) -> Path:
        """The audit log (`service.audit`); rotated files beside it are `audit.jsonl.1`, `.2`, ..."""
        return self.root / "audit" / "audit.jsonl"

    @property
    def inbox(self) -> Path:
        """Uploaded files while a request ingests them; emptied after each request and at start."""
        return self.root / ".api-inbox"


def _default_cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ahadi"


class Settings(BaseSettings):
    """Everything a deployment may change. Unset values take the embedded, single-machine default."""

    model_config = SettingsConfigDict(env_prefix="AHADI_", frozen=True, extra="forbid", env_ignore_empty=True)

    # ---------------------------------------------------------------- the index
    data_dir: Path = Path("data")
    """Where the embedded index, the API keys and the API's snapshots live (`DataDir`)."""
    qdrant_url: str | None = None
    """A Qdrant server or cluster (`http://host:6333`): switches the store from embedded to server."""
    qdrant_api_key: str | None = Field(default=None, repr=False)
    collection: str = "ahadi"
    """Collection name on a Qdrant server."""
    model: str = ADAPTED_MODEL
    """`multilingual-e5-small` (bundled, offline), `multilingual-e5-small-adapted` (the same with its
    cross-lingual adapter merged in), or any sentence-transformers model name or path."""
    model_cache_dir: Path = Field(default_factory=_default_cache_dir)
    encoder_backend: str = Field(default_factory=default_encoder_backend)
    """What runs the model: `onnx-int8` (ONNX Runtime, int8 weights), `onnx` or `torch` (the same
    fp32 vectors). Unset or `auto`: decided by the CPU (`index.cpu.default_encoder_backend`)."""
    commitment_probe: bool = True
    """Whether the model's learned probe decides which sentences are commitments (a model without one
    always uses the rules). Off: the rules decide, and ingestion skips the probe's model pass."""
    max_file_mb: float = 20.0
    """Larger input files are skipped."""
    batch_size: int = 8
    """Texts per model batch with the torch backend (BENCHMARKS.md section 1 says why 8)."""
    hnsw_ef: int | None = None
    """Candidates an HNSW search keeps; None (`auto`): grows with the index
    (`index.store.base.auto_hnsw_ef`; BENCHMARKS.md section 4)."""
    default_access: Annotated[tuple[str, ...], NoDecode] = (PUBLIC_GROUP,)
    """The groups that may read a document which declares no `access` (comma-separated)."""

    # ---------------------------------------------------------------- the HTTP API
    open_access: bool = False
    """Serve every route without a key (`AHADI_OPEN_ACCESS=1`). Only for a closed network or a demo."""
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    """Browser origins allowed to call the API (comma-separated). None by default."""
    max_upload_mb: float = 20.0
    """Largest request body accepted, uploads and JSON alike; larger → 413. Also what
    `ahadi ingest --api` assumes of the server when it packs files into requests."""
    rate_limit: int = 600
    """Requests per minute per API key (per client address in open mode); 0 = no limit."""
    max_bulk_documents: int = 1000
    """Most documents in one `POST /v1/documents`."""
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    """Addresses or networks (comma-separated: `127.0.0.1, 10.0.0.0/8`) of the single sign-on
    reverse proxies whose user and groups headers are believed. None: sign-on headers are ignored."""
    sso_user_header: str = "X-Forwarded-User"
    """The header in which a trusted proxy names the signed-in user (oauth2-proxy's)."""
    sso_groups_header: str = "X-Forwarded-Groups"
    """The header in which a trusted proxy lists the user's groups, comma-separated (oauth2-proxy's)."""
    audit_queries: str = "hash"
    """What the audit log keeps of a query: `hash` (its SHA-256) or `full` (the text)."""
    audit_max_mb: float = 50.0
    """The audit log is rotated when it reaches this size."""
    audit_keep: int = 10
    """Rotated audit files kept (`audit.jsonl.1` … `.N`); older ones are deleted."""
    session_minutes: int = 480
    """How long a web page session (an API key exchanged at sign-in) lasts without use."""

    # ---------------------------------------------------------------- `ahadi ingest --api`
    api_url: str | None = None
    """A running `ahadi serve` that `ahadi ingest` sends files to instead of opening the store."""
    api_key: str | None = Field(default=None, repr=False)
    """The write key for `api_url`."""

    @classmethod
    def from_env(cls, **overrides: Any) -> "Settings":
        """Defaults, then `AHADI_*` variables, then explicit overrides (those that are not None).

        :raises ValueError: naming each variable (or field) whose value is not valid.
        """
        given = {key: value for key, value in overrides.items() if value is not None}
        try:
            return cls(**given)
        except ValidationError as error:
            raise ValueError(_explain(error)) from None

    def replace(self, **changes: Any) -> "Settings":
        """A copy with `changes` applied and checked as the environment's values are (tests, tools)."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        values.update(changes)
        try:
            return type(self).model_validate(values)
        except ValidationError as error:
            raise ValueError(_explain(error)) from None

    @property
    def layout(self) -> DataDir:
        return DataDir(Path(self.data_dir))

    @property
    def index_dir(self) -> Path:
        return self.layout.index

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1_000_000)

    # ---------------------------------------------------------------- parsing
    @field_validator("qdrant_url", "qdrant_api_key", "api_url", "api_key", mode="before")
    @classmethod
    def _optional(cls, value: Any) -> Any:
        return _clean(value)

    @field_validator("data_dir", "collection", "model", "model_cache_dir", "sso_user_header", "sso_groups_header", mode="before")
    @classmethod
    def _required(cls, value: Any, info) -> Any:
        value = _clean(value)
        if value is None:
            raise ValueError(f"{_variable(info.field_name)} is empty")
        return value

    @field_validator("encoder_backend", mode="before")
    @classmethod
    def _backend(cls, value: Any) -> str:
        value = _clean(value)
        if value is None or str(value).lower() == "auto":
            return default_encoder_backend()
        if value not in ENCODER_BACKENDS:
            raise ValueError(f"{_variable('encoder_backend')} must be one of {', '.join(ENCODER_BACKENDS)} or auto, got {value!r}")
        return value

    @field_validator("max_file_mb", "max_upload_mb", "audit_max_mb", mode="before")
    @classmethod
    def _positive_number(cls, value: Any, info) -> float:
        return _number(value, float, info.field_name, "a positive number", minimum_exclusive=0)

    @field_validator("batch_size", "max_bulk_documents", "audit_keep", "session_minutes", mode="before")
    @classmethod
    def _positive_whole(cls, value: Any, info) -> int:
        return _number(value, int, info.field_name, "a positive whole number", minimum_exclusive=0)

    @field_validator("rate_limit", mode="before")
    @classmethod
    def _rate(cls, value: Any, info) -> int:
        return _number(value, int, info.field_name, "0 (no limit) or a positive whole number", minimum_exclusive=-1)

    @field_validator("hnsw_ef", mode="before")
    @classmethod
    def _ef(cls, value: Any) -> int | None:
        value = _clean(value)
        if value is None or (isinstance(value, str) and value.lower() == "auto"):
            return None
        return _number(value, int, "hnsw_ef", 'a positive whole number or "auto"', minimum_exclusive=0)

    @field_validator("open_access", "commitment_probe", mode="before")
    @classmethod
    def _flag(cls, value: Any, info: ValidationInfo) -> bool:
        value = _clean(value)
        if value is None:
            return bool(cls.model_fields[info.field_name].default)
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"{_variable(info.field_name)} must be 1/0, true/false, yes/no or on/off, got {value!r}")

    @field_validator("default_access", mode="before")
    @classmethod
    def _default_access(cls, value: Any) -> tuple[str, ...]:
        value = _clean(value)
        if value is None:
            return (PUBLIC_GROUP,)
        items = [item for item in (value.split(",") if isinstance(value, str) else list(value)) if str(item).strip()]
        if not items:
            raise ValueError(f"{_variable('default_access')} names no group")
        try:
            return tuple(check_groups(items, _variable("default_access")))
        except ValueError as error:
            raise ValueError(str(error)) from None

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: Any) -> tuple[str, ...]:
        value = _clean(value)
        if value is None:
            return ()
        items = [str(item).strip() for item in (value.split(",") if isinstance(value, str) else list(value)) if str(item).strip()]
        networks = []
        for item in items:
            try:
                networks.append(str(ipaddress.ip_network(item, strict=False)))
            except ValueError:
                raise ValueError(f"{_variable('trusted_proxies')}: {item!r} is not an IP address or network") from None
        return tuple(networks)

    @field_validator("audit_queries", mode="before")
    @classmethod
    def _audit_queries(cls, value: Any) -> str:
        value = _clean(value)
        if value is None:
            return "hash"
        if str(value).lower() not in ("hash", "full"):
            raise ValueError(f"{_variable('audit_queries')} must be hash or full, got {value!r}")
        return str(value).lower()

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> tuple[str, ...]:
        value = _clean(value)
        if value is None:
            return ()
        items = value.split(",") if isinstance(value, str) else list(value)
        return tuple(origin.strip() for origin in items if str(origin).strip())


def _variable(field: str) -> str:
    return "AHADI_" + field.upper()


def _clean(value: Any) -> Any:
    """Surrounding whitespace stripped; a blank string is unset (None)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _number(value: Any, kind: type, field: str, expected: str, minimum_exclusive: int) -> Any:
    raw, value = value, _clean(value)
    if value is None:
        return Settings.model_fields[field].default
    if isinstance(value, bool):
        number = None
    elif isinstance(value, (int, float)) and (kind is float or float(value).is_integer()):
        number = kind(value)
    else:
        try:
            number = kind(str(value))
        except (TypeError, ValueError):
            number = None
    if number is None or number <= minimum_exclusive:
        raise ValueError(f"{_variable(field)} must be {expected}, got {raw!r}")
    return number


def _explain(error: ValidationError) -> str:
    """One line per bad value, each naming its variable (the validators' own messages do)."""
    lines = []
    for item in error.errors():
        message = str(item.get("ctx", {}).get("error") or item["msg"])
        field = str(item["loc"][0]) if item.get("loc") else ""
        if field and _variable(field) not in message:
            message = f"{_variable(field)}: {message}"
        lines.append(message)
    return "; ".join(lines)
