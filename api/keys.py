"""API keys: created, listed and revoked in a JSON file in the data directory, stored hashed.

A key looks like ``ahadi_<id>_<secret>``: the 12-hex-digit id is public (it names the key in
listings and logs), the secret is 32 random bytes. The file keeps, per key, its id, name,
scopes, groups and a salted scrypt hash of the whole key, never the key itself; a created key
is shown once. Scopes: `read` (search and read documents), `write` (add, replace, delete),
`admin` (snapshots and restore). Groups decide which documents the key reads (`public`, which
every caller holds, besides them; `*` for all); a key made before groups existed has none. The server re-reads the file when it changes, so keys created or revoked while it
runs take effect on the next request.

Functions for the CLI (``ahadi keys create|list|revoke``):

- ``create_key(data_dir, name, scopes=("read",), groups=()) -> str``: the new key (print it once);
- ``list_keys(data_dir, include_revoked=False) -> list[dict]``: id, name, scopes, groups, created_at, revoked_at;
- ``revoke_key(data_dir, key) -> bool``: by id, by name (if unique) or by the key itself.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from service.access import caller_groups
from service.settings import DataDir

SCOPES: tuple[str, ...] = ("read", "write", "admin")
PREFIX = "ahadi"
_ID_RE = re.compile(r"^[0-9a-f]{12}$")
_NAME_RE = re.compile(r"^[\w .@:+-]{1,64}$")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_FILE_VERSION = 1


class KeyFileError(ValueError):
    """A key operation that cannot be done (bad name or scope, ambiguous name, unreadable file)."""


def keys_path(data_dir: str | Path) -> Path:
    return DataDir(Path(data_dir)).keys_file


# ------------------------------------------------------------------ the public functions
def create_key(data_dir: str | Path, name: str, scopes: Iterable[str] = ("read",), groups: Iterable[str] = ()) -> str:
    """Create a key named `name` with `scopes` (any of "read", "write", "admin") reading the
    documents of `groups` (and `public`; `*`: every document); returns the key itself.

    The key is not stored, only its hash: the caller must show it to the user now.
    """
    name = (name or "").strip()
    if not _NAME_RE.match(name):
        raise KeyFileError("a key name is 1-64 letters, digits, spaces or . _ @ : + -")
    wanted = _check_scopes(scopes)
    try:
        held = caller_groups(groups, "--group")
    except ValueError as error:
        raise KeyFileError(str(error)) from None
    key_id = secrets.token_hex(6)
    secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    key = f"{PREFIX}_{key_id}_{secret}"
    record = {
        "id": key_id,
        "name": name,
        "scopes": wanted,
        "groups": held,
        "hash": _hash(key),
        "created_at": _now(),
        "revoked_at": None,
    }
    with _locked(keys_path(data_dir)) as path:
        data = _read(path)
        data["keys"].append(record)
        _write(path, data)
    return key


def list_keys(data_dir: str | Path, include_revoked: bool = False) -> list[dict[str, Any]]:
    """The keys in the file (never their secrets or hashes), oldest first."""
    data = _read(keys_path(data_dir))
    return [
        {**{k: record.get(k) for k in ("id", "name", "scopes", "created_at", "revoked_at")}, "groups": record.get("groups") or []}
        for record in data["keys"]
        if include_revoked or not record.get("revoked_at")
    ]


def revoke_key(data_dir: str | Path, key: str) -> bool:
    """Revoke a key given its id, its name (when no other active key has it) or the key itself.

    Returns False when no active key matches. A revoked key stays in the file, marked.
    """
    key = (key or "").strip()
    with _locked(keys_path(data_dir)) as path:
        data = _read(path)
        active = [r for r in data["keys"] if not r.get("revoked_at")]
        parsed = parse_key(key)
        if parsed is not None:
            matches = [r for r in active if r["id"] == parsed[0] and _verify(key, r["hash"])]
        elif _ID_RE.match(key):
            matches = [r for r in active if r["id"] == key]
        else:
            matches = [r for r in active if r["name"] == key]
            if len(matches) > 1:
                ids = ", ".join(r["id"] for r in matches)
                raise KeyFileError(f"{len(matches)} active keys are named {key!r} ({ids}): revoke one by its id")
        if not matches:
            return False
        for record in matches:
            record["revoked_at"] = _now()
        _write(path, data)
        return True


def parse_key(key: str) -> tuple[str, str] | None:
    """(id, secret) of a well-formed key, else None."""
    parts = key.split("_", 2) if isinstance(key, str) else []
    if len(parts) != 3 or parts[0] != PREFIX or not _ID_RE.match(parts[1]) or len(parts[2]) < 20:
        return None
    return parts[1], parts[2]


# ------------------------------------------------------------------ what the server uses
@dataclass(frozen=True)
class ApiKey:
    """An authenticated caller: the key's public id, its name, scopes and groups."""

    id: str
    name: str
    scopes: frozenset[str]
    groups: frozenset[str] = frozenset()


class KeyStore:
    """The keys file, re-read when it changes; verifies presented keys.

    A key's scrypt hash is checked once; after that a SHA-256 digest of the key is remembered
    in memory, so that each later request costs one fast constant-time comparison.
    """

    def __init__(self, data_dir: str | Path):
        self.path = keys_path(data_dir)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._records: dict[str, dict[str, Any]] = {}
        self._verified: dict[str, bytes] = {}
        self._error: str | None = None

    def _refresh(self) -> None:
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp and self._stamp is not None:
            return
        with self._lock:
            if stamp is None:
                self._records, self._verified, self._stamp, self._error = {}, {}, None, None
                return
            try:
                data = _read(self.path)
                self._error = None
            except KeyFileError as error:
                # Fail closed: a broken file authenticates nobody.
                self._records, self._verified, self._error = {}, {}, str(error)
                self._stamp = stamp
                return
            self._records = {r["id"]: r for r in data["keys"] if not r.get("revoked_at")}
            self._verified = {k: v for k, v in self._verified.items() if k in self._records}
            self._stamp = stamp

    @property
    def configured(self) -> bool:
        """Whether at least one active key exists."""
        self._refresh()
        return bool(self._records)

    @property
    def error(self) -> str | None:
        self._refresh()
        return self._error

    def authenticate(self, key: str) -> ApiKey | None:
        """The key's identity when `key` is an active key, else None."""
        self._refresh()
        parsed = parse_key(key)
        if parsed is None:
            return None
        record = self._records.get(parsed[0])
        if record is None:
            return None
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        known = self._verified.get(record["id"])
        if known is not None:
            ok = hmac.compare_digest(known, digest)
        else:
            ok = _verify(key, record["hash"])
            if ok:
                with self._lock:
                    self._verified[record["id"]] = digest
        if not ok:
            return None
        return _api_key(record)

    def active(self, key_id: str) -> ApiKey | None:
        """The key with this id as it stands now (scopes included), None once revoked or removed:
        what a web session, which keeps the id and never the key, checks on every request."""
        self._refresh()
        record = self._records.get(key_id)
        return _api_key(record) if record is not None else None


def _api_key(record: dict[str, Any]) -> ApiKey:
    return ApiKey(id=record["id"], name=record["name"], scopes=frozenset(record["scopes"]), groups=frozenset(record.get("groups") or ()))


# ------------------------------------------------------------------ file and hashing
def _check_scopes(scopes: Iterable[str]) -> list[str]:
    if isinstance(scopes, str):
        scopes = [s for s in re.split(r"[,\s]+", scopes) if s]
    wanted = sorted({str(s).strip().lower() for s in scopes})
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown or not wanted:
        raise KeyFileError(f"scopes must be one or more of {', '.join(SCOPES)}; got {', '.join(unknown) or 'none'}")
    return wanted


def _hash(key: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(key.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt)}${b64(digest)}"


def _verify(key: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            key.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"version": _FILE_VERSION, "keys": []}
    except OSError as error:
        raise KeyFileError(f"cannot read the keys file {path}: {error.strerror}") from None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
            raise ValueError("no 'keys' list")
        for record in data["keys"]:
            if not isinstance(record, dict) or not {"id", "name", "scopes", "hash"} <= record.keys():
                raise ValueError("a key record lacks id, name, scopes or hash")
    except ValueError as error:
        raise KeyFileError(f"the keys file {path} is not valid: {error}") from None
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    data["version"] = _FILE_VERSION
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, ensure_ascii=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[Path]:
    """Serialise writers of the keys file (CLI and server, or two CLIs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield path
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
