"""Snapshots of an index, and restoring one: every point exactly, with a manifest and a checksum.

A snapshot is one uncompressed tar file with two members, in this order:

- ``manifest.json``: format and version, when and from what it was taken, the vector size, the
  number of points (in all, and per kind and state), and the SHA-256 and size of the next member;
- ``points.jsonl.gz``: one JSON object per point, ``{"id", "vectors": {"dense": [...],
  "bm25": {"indices": [...], "values": [...]}}, "payload": {...}}``: document records, passages
  and commitments with their ids, vectors and payloads as stored.

It is a logical export, not a copy of the engine's files, so it is the same for both backends:
a snapshot of the embedded Qdrant Edge index restores into a Qdrant server collection and back,
and it does not depend on Qdrant Edge's on-disk format (the shard directory is also mostly
preallocated space: 5 MB of data in 260 MB of files). Floats go through JSON as their shortest
exact repr, so vectors come back bit for bit (Qdrant Edge keeps cosine vectors normalised, and
normalising them again changes nothing).

The export holds the store's `write_lock`: commits in this process wait, searches go on, and the
snapshot is one consistent state. Restoring a snapshot that was taken mid-commit by some other
means is still safe: the store's `recover()` on open finishes or discards that commit.

    snapshot(store_or_data_dir, target_file, *, overwrite=False) -> dict   # the manifest
    verify(snapshot_file) -> dict                                         # checks, returns the manifest
    restore(snapshot_file, data_dir, *, force=False) -> dict              # into <data_dir>/index (Edge)
    restore_into(snapshot_file, store, *, force=False) -> dict            # into an open store (server)

`restore` refuses a data directory whose index holds anything unless `force`, refuses an index
a process has open (force or not: it takes the store's lock file, ``<data_dir>/.index.lock``,
and holds it until the new index is in place), verifies the checksum before writing anything,
builds the new index in a temporary folder inside the data directory and then renames it into place.
Only ``<data_dir>/index`` is replaced: API keys and other files in the data directory stay.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from collections import Counter
from pathlib import Path
from typing import IO, Any, Iterator

from index.store.base import DENSE, ChunkStore, SparseVector

FORMAT = "ahadi-snapshot"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
POINTS = "points.jsonl.gz"
INDEX_DIR = "index"
_BATCH = 256
_MAX_MANIFEST_BYTES = 1_000_000


class SnapshotError(RuntimeError):
    """A snapshot that cannot be written, read or restored; the message says why and what to do."""


# ------------------------------------------------------------------------------- snapshot
def snapshot(source: ChunkStore | str | Path, target_file: str | Path, *, overwrite: bool = False) -> dict[str, Any]:
    """Write a snapshot of `source` to `target_file`; returns its manifest.

    `source` is an open store (what a running service holds: `Ahadi.store`), or a data directory
    whose embedded index (``<data_dir>/index``) is opened for the time of the snapshot (it must not
    be open in another process: then snapshot through that process). The file appears whole or
    not at all (written beside the target, then renamed); an existing file is kept unless
    `overwrite`.
    """
    target = Path(target_file)
    if target.exists() and not overwrite:
        raise SnapshotError(f"{target} already exists; choose another file name or overwrite it explicitly")
    if target.exists() and target.is_dir():
        raise SnapshotError(f"{target} is a folder; give a file name such as {target / 'ahadi.snapshot.tar'}")
    if isinstance(source, ChunkStore):
        return _snapshot_store(source, target, _describe(source))
    data_dir = Path(source)
    index = data_dir / INDEX_DIR
    if not (index / "wal").exists():
        raise SnapshotError(f"{data_dir} holds no index (no {index}/wal); nothing to snapshot")
    from index.store.edge import EdgeStore

    store = EdgeStore(index, _edge_dimension(index))  # StoreLockedError when another process has it
    try:
        return _snapshot_store(store, target, {"backend": "edge", "path": str(index.resolve())})
    finally:
        store.close()


def _describe(store: ChunkStore) -> dict[str, Any]:
    path = getattr(store, "path", None)
    if path is not None:
        return {"backend": "edge", "path": str(Path(path).resolve())}
    return {"backend": "server", "collection": getattr(store, "collection", None)}


def _snapshot_store(store: ChunkStore, target: Path, source: dict[str, Any]) -> dict[str, Any]:
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        points_path = work / POINTS
        counts: Counter = Counter()
        total = 0
        with store.write_lock:  # one consistent state: commits wait, searches go on
            store.flush()
            with open(points_path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as out:
                for point_id, vectors, payload in store.export_points(_BATCH):
                    dense = vectors.get(DENSE)
                    if dense is not None and len(dense) != store.dimension:
                        raise SnapshotError(f"point {point_id} has a {len(dense)}-dimensional vector, the index {store.dimension}")
                    line = {"id": point_id, "vectors": _vectors_to_json(vectors), "payload": payload}
                    out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8"))
                    out.write(b"\n")
                    counts[_kind_key(payload)] += 1
                    total += 1
            live_total = store.count_points()
        if live_total != total:
            raise SnapshotError(f"the index changed during the snapshot ({total} points read, {live_total} now); retry")
        digest, size = _sha256(points_path)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "source": source,
            "dimension": store.dimension,
            "points": total,
            "counts": dict(sorted(counts.items())),
            "documents": counts.get("document", 0),
            "member": POINTS,
            "sha256": digest,
            "bytes": size,
            "versions": _versions(),
        }
        archive = work / "snapshot.tar"
        with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
            body = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(body), 0o600, int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(body))
            tar.add(points_path, arcname=POINTS, recursive=False)
        os.chmod(archive, 0o600)  # it holds every document's text
        _fsync(archive)
        os.replace(archive, target)
        _fsync_dir(target.parent)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _kind_key(payload: dict[str, Any]) -> str:
    kind = str(payload.get("kind", "?"))
    state = payload.get("state")
    return kind if state in (None, "live") else f"{kind}:{state}"


def _vectors_to_json(vectors: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in vectors.items():
        if isinstance(value, SparseVector):
            out[name] = {"indices": list(value.indices), "values": list(value.values)}
        else:
            out[name] = list(value)
    return out


# ------------------------------------------------------------------------------- reading
def verify(snapshot_file: str | Path) -> dict[str, Any]:
    """The snapshot's manifest, after checking its format, checksum, size and every point line.

    Raises SnapshotError (with the reason) for a damaged, truncated or foreign file.
    """
    path = Path(snapshot_file)
    with _open_archive(path) as (manifest, member):
        digest = hashlib.sha256()
        size = 0
        while True:
            block = member.read(1 << 20)
            if not block:
                break
            digest.update(block)
            size += len(block)
    if size != manifest["bytes"] or digest.hexdigest() != manifest["sha256"]:
        raise SnapshotError(
            f"{path} is damaged: its points do not match the manifest's checksum "
            f"({size} bytes, sha256 {digest.hexdigest()[:16]}…; expected {manifest['bytes']} bytes, {manifest['sha256'][:16]}…)"
        )
    count = 0
    for _ in _iter_points(path, manifest):
        count += 1
    if count != manifest["points"]:
        raise SnapshotError(f"{path} holds {count} points, its manifest says {manifest['points']}")
    return manifest


@contextlib.contextmanager
def _open_archive(path: Path) -> Iterator[tuple[dict[str, Any], IO[bytes]]]:
    """(manifest, the points member as a binary stream): only the two expected regular files."""
    if not path.is_file():
        raise SnapshotError(f"no snapshot file at {path}")
    try:
        tar = tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as error:
        raise SnapshotError(f"{path} is not an Ahadi snapshot (not a tar file: {error})") from None
    with tar:
        try:
            members = {m.name: m for m in tar.getmembers()}
        except (tarfile.TarError, OSError, EOFError) as error:
            raise SnapshotError(f"{path} is damaged or truncated ({error})") from None
        if set(members) != {MANIFEST, POINTS} or not all(m.isreg() for m in members.values()):
            raise SnapshotError(f"{path} is not an Ahadi snapshot (it should hold exactly {MANIFEST} and {POINTS})")
        if members[MANIFEST].size > _MAX_MANIFEST_BYTES:
            raise SnapshotError(f"{path}: its manifest is implausibly large")
        try:
            manifest = json.loads(tar.extractfile(members[MANIFEST]).read().decode("utf-8"))
        except (ValueError, UnicodeDecodeError, tarfile.TarError, OSError, EOFError) as error:
            raise SnapshotError(f"{path}: its manifest cannot be read ({error})") from None
        _check_manifest(path, manifest)
        yield manifest, tar.extractfile(members[POINTS])


def _check_manifest(path: Path, manifest: Any) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SnapshotError(f"{path} is not an Ahadi snapshot (manifest format is not {FORMAT!r})")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise SnapshotError(
            f"{path} is snapshot format version {manifest.get('format_version')!r}; this Ahadi reads version {FORMAT_VERSION}"
        )
    for key, kind in (("dimension", int), ("points", int), ("bytes", int), ("sha256", str)):
        if not isinstance(manifest.get(key), kind) or isinstance(manifest.get(key), bool):
            raise SnapshotError(f"{path}: its manifest lacks a valid {key!r}")


def _iter_points(path: Path, manifest: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The points of a snapshot, validated, as the store's `import_points` takes them."""
    dimension = manifest["dimension"]
    with _open_archive(path) as (_, member):
        try:
            with gzip.GzipFile(fileobj=member, mode="rb") as lines:
                for number, line in enumerate(lines, start=1):
                    yield _point(line, number, dimension, path)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            raise SnapshotError(f"{path}: the points cannot be read ({error})") from None


def _point(line: bytes, number: int, dimension: int, path: Path) -> tuple[str, dict[str, Any], dict[str, Any]]:
    try:
        item = json.loads(line)
        point_id = str(uuid.UUID(item["id"]))
        payload = item["payload"]
        raw_vectors = item["vectors"]
        if not isinstance(payload, dict) or not isinstance(raw_vectors, dict):
            raise ValueError("payload and vectors must be objects")
        vectors: dict[str, Any] = {}
        for name, value in raw_vectors.items():
            if isinstance(value, dict):
                indices = [int(i) for i in value["indices"]]
                values = [float(v) for v in value["values"]]
                if len(indices) != len(values):
                    raise ValueError(f"sparse vector {name!r}: {len(indices)} indices, {len(values)} values")
                vectors[name] = SparseVector(indices, values)
            else:
                dense = [float(v) for v in value]
                if len(dense) != dimension:
                    raise ValueError(f"vector {name!r} has {len(dense)} dimensions, the snapshot {dimension}")
                vectors[name] = dense
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SnapshotError(f"{path}: point line {number} is not valid ({error})") from None
    return point_id, vectors, payload


# ------------------------------------------------------------------------------- restore
def restore(snapshot_file: str | Path, data_dir: str | Path, *, force: bool = False) -> dict[str, Any]:
    """Restore a snapshot as the embedded index of `data_dir` (``<data_dir>/index``); returns the manifest.

    Refuses when that index holds anything, unless `force` (the old index is then replaced, and
    removed once the new one is in place); refuses, force or not, when a process (this one
    included) has it open: stop the server, or close its store, first. The snapshot is verified before anything is
    written; the new index is built in a temporary folder inside `data_dir` and renamed into
    place, so an interrupted restore leaves the old index (or none) and a temporary folder that
    the next restore removes.
    """
    from index.store.edge import EdgeStore

    data_dir = Path(data_dir)
    index = data_dir / INDEX_DIR
    manifest = verify(snapshot_file)
    if index.exists() and any(index.iterdir()) and not force:
        raise SnapshotError(
            f"{index} is not empty; restoring would replace that index. Restore into a new data directory, "
            "or force it (--force) to replace it"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = _hold_index_lock(index)  # held until the new index is in place: nobody opens it meanwhile
    try:
        for leftover in data_dir.glob(".restore-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
        try:
            store = EdgeStore(work / INDEX_DIR, manifest["dimension"])
            try:
                _write_points(Path(snapshot_file), manifest, store)
            finally:
                store.close()
            _swap_in(work / INDEX_DIR, index)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        lock.close()
    return manifest


def restore_into(snapshot_file: str | Path, store: ChunkStore, *, force: bool = False) -> dict[str, Any]:
    """Restore a snapshot into an open store, e.g. a Qdrant server collection; returns the manifest.

    Refuses a store that holds points unless `force` (its points are then all deleted first).
    Not atomic: on a server, restore into a new collection (AHADI_COLLECTION) and switch to it
    once this returned. The snapshot is verified before anything is written or deleted.
    """
    manifest = verify(snapshot_file)
    if manifest["dimension"] != store.dimension:
        raise SnapshotError(f"the snapshot holds {manifest['dimension']}-dimensional vectors, the store {store.dimension}")
    with store.write_lock:
        if store.count_points():
            if not force:
                raise SnapshotError("the store is not empty; restore into an empty collection, or force it to replace everything")
            store._delete({})
        _write_points(Path(snapshot_file), manifest, store)
    return manifest


def _write_points(path: Path, manifest: dict[str, Any], store: ChunkStore) -> None:
    batch: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for point in _iter_points(path, manifest):
        batch.append(point)
        if len(batch) >= _BATCH:
            store.import_points(batch)
            batch = []
    if batch:
        store.import_points(batch)
    store.flush()
    written = store.count_points()
    if written != manifest["points"]:
        raise SnapshotError(f"restored {written} points, the snapshot holds {manifest['points']}")


def _swap_in(new_index: Path, index: Path) -> None:
    """Rename `new_index` to `index`; an existing `index` is moved aside first and removed after."""
    if not index.exists():
        os.rename(new_index, index)
        _fsync_dir(index.parent)
        return
    aside = index.with_name(f".{index.name}-replaced-{uuid.uuid4().hex[:8]}")
    os.rename(index, aside)
    try:
        os.rename(new_index, index)
    except OSError:
        os.rename(aside, index)
        raise
    _fsync_dir(index.parent)
    shutil.rmtree(aside, ignore_errors=True)


def _hold_index_lock(index: Path):
    """The lock `EdgeStore` holds while the index is open (``<data_dir>/.index.lock``), taken here
    so that restoring over an open index is refused and nobody opens it during the swap. Also
    refuses when Qdrant Edge's own lock (a flock on ``index/wal``) is held."""
    from index.store.edge import StoreLockedError, _lock_exclusively

    try:
        handle = _lock_exclusively(index)
    except StoreLockedError:
        raise SnapshotError(f"the index at {index} is open (is `ahadi serve` running?); stop it before restoring over it") from None
    wal = index / "wal"
    if wal.exists():
        fd = os.open(wal, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError as error:
            handle.close()
            if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise SnapshotError(f"the index at {index} is open; stop the process that holds it before restoring over it") from None
            raise
        finally:
            os.close(fd)
    return handle


# ------------------------------------------------------------------------------- helpers
def _edge_dimension(index: Path) -> int:
    try:
        config = json.loads((index / "edge_config.json").read_text(encoding="utf-8"))
        return int(config["vectors"][DENSE]["size"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SnapshotError(f"cannot read the vector size of the index at {index} ({error})") from None


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("ahadi", "qdrant-edge-py", "qdrant-client"):
        with contextlib.suppress(PackageNotFoundError):
            found[package] = version(package)
    return found
