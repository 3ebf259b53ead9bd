"""Settings of the HTTP layer only, read from `AHADI_*` environment variables.

They live here rather than in `ahadi.config.Settings` because only the API uses them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ahadi.config import env_values

KEYS_FILE_NAME = "api_keys.json"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class ApiSettings:
    open_access: bool = False
    """Serve every route without a key (`AHADI_OPEN_ACCESS=1`). Only for a closed network or a demo."""
    cors_origins: tuple[str, ...] = ()
    """Browser origins allowed to call the API (`AHADI_CORS_ORIGINS`, comma-separated). None by default."""
    max_upload_mb: float = 20.0
    """Largest request body accepted, uploads and JSON alike (`AHADI_MAX_UPLOAD_MB`); larger → 413."""
    rate_limit: int = 600
    """Requests per minute per API key (per client address in open mode) (`AHADI_RATE_LIMIT`); 0 = no limit."""
    max_bulk_documents: int = 1000
    """Most documents in one `POST /v1/documents` (`AHADI_MAX_BULK_DOCUMENTS`)."""

    _ENV = {
        "open_access": "AHADI_OPEN_ACCESS",
        "cors_origins": "AHADI_CORS_ORIGINS",
        "max_upload_mb": "AHADI_MAX_UPLOAD_MB",
        "rate_limit": "AHADI_RATE_LIMIT",
        "max_bulk_documents": "AHADI_MAX_BULK_DOCUMENTS",
    }

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "ApiSettings":
        """Defaults, then the environment, then explicit overrides (those that are not None)."""
        values = env_values(cls._ENV, _parse, environ)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1_000_000)


def _parse(name: str, variable: str, raw: str):
    value = raw.strip()
    try:
        if name == "open_access":
            if value.lower() in _TRUE:
                return True
            if value.lower() in _FALSE:
                return False
            raise ValueError("expected 1/0, true/false, yes/no or on/off")
        if name == "cors_origins":
            return tuple(origin.strip() for origin in value.split(",") if origin.strip())
        if name == "max_upload_mb":
            number = float(value)
            if number <= 0:
                raise ValueError("must be more than 0")
            return number
        number = int(value)
        if number < 0:
            raise ValueError("must be 0 or more")
        return number
    except ValueError as error:
        raise ValueError(f"{variable}={raw!r}: {error}") from None
