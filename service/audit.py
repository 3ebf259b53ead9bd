"""The audit log: one JSON line per authenticated request, appended, rotated by size.

A line says who (`key:<id>`, `sso:<user>` or `addr:<address>` in open mode), when, which route
and with what answer (status), what was asked (the query's SHA-256, or with
`AHADI_AUDIT_QUERIES=full` its text), how many results came back, and which document ids were
written or deleted. Never a key, a document's text or a result's content.

Writing is synchronous and under a lock, so lines from concurrent requests never interleave; a
line is flushed to the operating system before the answer leaves (not fsync'ed: a power cut may
lose the last lines, a killed process does not). When the file reaches `max_bytes` it becomes
`audit.jsonl.1`, the older ones shift to `.2` … `.keep`, and the oldest is deleted.

A line that cannot be written raises `AuditError`; the API then answers 503 instead of the
result (api/middleware.py says why).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from service.settings import Settings


class AuditError(RuntimeError):
    """The audit line could not be written."""


class AuditLog:
    def __init__(self, path: Path, max_bytes: int, keep: int, full_queries: bool = False):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.keep = keep
        self.full_queries = full_queries
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> "AuditLog":
        return cls(
            settings.layout.audit_file, int(settings.audit_max_mb * 1_000_000), settings.audit_keep,
            full_queries=settings.audit_queries == "full",
        )

    def query_fields(self, query: str | None) -> dict[str, Any]:
        """What the log keeps of a query: its text, or its SHA-256 (the same query hashes alike, so
        repeated queries can still be counted without the text being kept)."""
        if query is None:
            return {}
        if self.full_queries:
            return {"query": query}
        return {"query_sha256": hashlib.sha256(query.encode("utf-8")).hexdigest()}

    def record(self, entry: dict[str, Any]) -> None:
        """Append one line (`time` added); `AuditError` when it cannot be written."""
        line = json.dumps({"time": _now(), **entry}, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
        data = line.encode("utf-8")
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    size = self.path.stat().st_size
                except FileNotFoundError:
                    size = 0
                if size and size + len(data) > self.max_bytes:
                    self._rotate()
                # O_APPEND: every write lands at the end, whoever else appends (a second server).
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    written = os.write(fd, data)
                finally:
                    os.close(fd)
                if written != len(data):
                    raise OSError(f"short write ({written} of {len(data)} bytes)")
        except OSError as error:
            raise AuditError(f"cannot write the audit log {self.path}: {error}") from error

    def _rotate(self) -> None:
        oldest = self.path.with_name(f"{self.path.name}.{self.keep}")
        if oldest.exists():
            oldest.unlink()
        for number in range(self.keep - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{number}")
            if older.exists():
                older.rename(self.path.with_name(f"{self.path.name}.{number + 1}"))
        self.path.rename(self.path.with_name(f"{self.path.name}.1"))


def read_entries(path: Path, since: datetime | None = None, who: str | None = None, route: str | None = None) -> Iterator[dict[str, Any]]:
    """The lines of the log and its rotated files, oldest first, that match: at or after `since`,
    by `who` (exactly, or the part after `key:`/`sso:`), on a route containing `route`. A line
    that is not JSON (a torn last line after a crash) is yielded as `{"unreadable": <line>}`."""
    path = Path(path)
    rotated = sorted(
        (p for p in path.parent.glob(f"{path.name}.*") if p.name.rsplit(".", 1)[-1].isdigit()),
        key=lambda p: -int(p.name.rsplit(".", 1)[-1]),
    )
    for file in [*rotated, path]:
        if not file.exists():
            continue
        with open(file, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    yield {"unreadable": line.rstrip("\n")}
                    continue
                if since is not None and _parse_time(entry.get("time")) < since:
                    continue
                if who is not None and who not in (entry.get("who"), str(entry.get("who", "")).split(":", 1)[-1]):
                    continue
                if route is not None and route not in str(entry.get("route", "")):
                    continue
                yield entry


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _parse_time(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
