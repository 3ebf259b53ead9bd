"""Settings: one dataclass, read from `AHADI_*` environment variables, overridable per call."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from index.cpu import default_encoder_backend
from index.model import BUILTIN_MODEL, ENCODER_BACKENDS


def _default_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ahadi"


@dataclass(frozen=True)
class Settings:
    """Everything a deployment may change. Unset values take the embedded, single-machine default."""

    data_dir: Path = Path("data")
    """Where the embedded Qdrant Edge shard lives (ignored with `qdrant_url`)."""
    qdrant_url: str | None = None
    """A Qdrant server or cluster (`http://host:6333`): switches the store from embedded to server."""
    qdrant_api_key: str | None = field(default=None, repr=False)
    collection: str = "ahadi"
    """Collection name on a Qdrant server."""
    model: str = BUILTIN_MODEL
    """`multilingual-e5-small` (bundled, offline), `multilingual-e5-small-adapted` (the same with its
    cross-lingual adapter merged in), or any sentence-transformers model name or path."""
    model_cache_dir: Path = field(default_factory=_default_cache_dir)
    encoder_backend: str = field(default_factory=default_encoder_backend)
    """What runs the model: `onnx-int8` (ONNX Runtime, int8 weights), `onnx` or `torch` (the same
    fp32 vectors). Unset or `auto`: decided by the CPU (`index.cpu.default_encoder_backend`)."""
    max_file_mb: float = 20.0
    batch_size: int = 8
    hnsw_ef: int | None = None
    """Candidates an HNSW search keeps: more is slower and closer to exact search. None (`auto`,
    the default): one per thousand passages, 256 to 2048 (`index.store.base.auto_hnsw_ef`), which
    kept recall@10 against exact search at 0.96-0.99 from 100k to 1M chunks (BENCHMARKS.md section 4)."""

    _ENV = {
        "data_dir": "AHADI_DATA_DIR",
        "qdrant_url": "AHADI_QDRANT_URL",
        "qdrant_api_key": "AHADI_QDRANT_API_KEY",
        "collection": "AHADI_COLLECTION",
        "model": "AHADI_MODEL",
        "model_cache_dir": "AHADI_MODEL_CACHE_DIR",
        "encoder_backend": "AHADI_ENCODER_BACKEND",
        "max_file_mb": "AHADI_MAX_FILE_MB",
        "batch_size": "AHADI_BATCH_SIZE",
        "hnsw_ef": "AHADI_HNSW_EF",
    }

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults, then `AHADI_*` variables, then explicit overrides (those that are not None)."""
        values = env_values(cls._ENV, _coerce)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)


def env_values(
    variables: Mapping[str, str], parse: Callable[[str, str, str], Any], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Settings fields whose variable (`variables`: field → `AHADI_*` name) is set and not empty,
    each parsed by `parse(field, variable, raw)`, which raises ValueError naming the variable."""
    env = os.environ if environ is None else environ
    return {name: parse(name, variable, env[variable]) for name, variable in variables.items() if env.get(variable) not in (None, "")}


def _coerce(name: str, variable: str, raw: str):
    if name in ("data_dir", "model_cache_dir"):
        return Path(raw)
    if name == "encoder_backend" and raw.strip().lower() == "auto":
        return default_encoder_backend()
    if name == "encoder_backend" and raw not in ENCODER_BACKENDS:
        raise ValueError(f"{variable} must be one of {', '.join(ENCODER_BACKENDS)} or auto, got {raw!r}")
    if name == "hnsw_ef" and raw.strip().lower() == "auto":
        return None
    if name in ("max_file_mb", "batch_size", "hnsw_ef"):
        kind = float if name == "max_file_mb" else int
        try:
            value = kind(raw)
        except ValueError:
            value = 0
        if value <= 0:
            expected = "a positive number" if kind is float else "a positive whole number" + (' or "auto"' if name == "hnsw_ef" else "")
            raise ValueError(f"{variable} must be {expected}, got {raw!r}")
        return value
    return raw
