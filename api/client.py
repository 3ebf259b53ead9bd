"""A small client for the CLI: send files to a running server instead of opening its locked store.

    from api.client import ingest_via_api, ApiClientError
    report = ingest_via_api("http://127.0.0.1:8000", key, [Path("corpus/")])

Folders are walked like `ahadi ingest` walks them (supported files, sorted); each file goes with
its `<name>.meta.json` sidecar when there is one. Files are sent in batches that stay under the
server's upload limit, and the batch reports are merged into one, shaped like
`IngestReport.to_dict()`: written, unchanged, skipped, chunks, languages, seconds.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import httpx

from ingest.formats import SIDECAR_SUFFIX, SUPPORTED_EXTENSIONS


class ApiClientError(RuntimeError):
    """The server refused the request or could not be reached; the message says why."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


def ingest_via_api(
    base_url: str,
    api_key: str | None,
    paths: Iterable[str | Path],
    *,
    max_request_mb: float = 20.0,
    timeout: float = 1800.0,
    access: list[str] | None = None,
    client: httpx.Client | None = None,
) -> dict[str, Any]:
    """Upload `paths` (files and folders) to `POST {base_url}/v1/documents/upload`; the merged report.

    `api_key` needs the `write` scope (None for a server in open mode). `max_request_mb` is the
    server's upload limit (the CLI passes `Settings.max_upload_mb`, 20 by default). Raises `ApiClientError` when the
    server cannot be reached or refuses the key; files it rejects are in the report's `skipped`.
    `access`: the groups of documents that declare none (the upload form's `access`).
    """
    limit = int(max_request_mb * 1_000_000)
    files, missing = collect_files(paths)
    report: dict[str, Any] = {"written": [], "unchanged": [], "skipped": [], "chunks": 0, "languages": Counter(), "seconds": 0.0}
    report["skipped"] += [{"source": str(p), "reason": "no such file or folder"} for p in missing]
    headers = {"X-API-Key": api_key} if api_key else {}
    owned = client is None
    http = client or httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)
    try:
        for batch in batches(files, limit):
            _send(http, batch, headers, report, access)
    finally:
        if owned:
            http.close()
    report["languages"] = dict(report["languages"])
    report["seconds"] = round(report["seconds"], 2)
    return report


def collect_files(paths: Iterable[str | Path]) -> tuple[list[list[Path]], list[Path]]:
    """Groups to upload (a file, plus its sidecar), and the paths that do not exist."""
    groups: list[list[Path]] = []
    missing: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _extension(p) and not _hidden(p, path))
        elif path.is_file():
            found = [path]
        else:
            missing.append(path)
            continue
        for file in found:
            extension = _extension(file)
            sidecar = file.with_name(file.name[: -len(extension)] + SIDECAR_SUFFIX) if extension else None
            groups.append([file] + ([sidecar] if sidecar is not None and sidecar.is_file() else []))
    return groups, missing


def batches(groups: list[list[Path]], limit: int) -> Iterable[list[Path]]:
    """Groups packed into requests of at most `limit` bytes (a larger group goes alone)."""
    batch: list[Path] = []
    size = 0
    for group in groups:
        group_size = sum(p.stat().st_size for p in group) + 512 * len(group)
        if batch and size + group_size > limit:
            yield batch
            batch, size = [], 0
        batch.extend(group)
        size += group_size
    if batch:
        yield batch


def _send(http: httpx.Client, batch: list[Path], headers: dict[str, str], report: dict[str, Any], access: list[str] | None) -> None:
    handles = []
    try:
        files = []
        for path in batch:
            handle = open(path, "rb")
            handles.append(handle)
            files.append(("files", (path.name, handle, "application/octet-stream")))
        try:
            response = http.post("/v1/documents/upload", files=files, headers=headers, data={"access": access} if access else None)
        except httpx.HTTPError as error:
            raise ApiClientError(f"cannot reach the Ahadi server at {http.base_url}: {error}") from None
    finally:
        for handle in handles:
            handle.close()
    body = _json(response)
    if response.status_code == 200:
        _merge(report, body)
        return
    error = body.get("error", {}) if isinstance(body, dict) else {}
    if response.status_code == 422 and error.get("code") == "not_indexed":
        _merge(report, (error.get("details") or {}).get("report") or {"skipped": (error.get("details") or {}).get("skipped", [])})
        return
    if response.status_code == 413:
        for path in batch:
            report["skipped"].append({"source": str(path), "reason": f"larger than the server's upload limit ({error.get('message', '413')})"})
        return
    message = error.get("message") or response.text[:200] or response.reason_phrase
    raise ApiClientError(f"the server answered {response.status_code}: {message}", response.status_code, error.get("code"))


def _merge(report: dict[str, Any], part: dict[str, Any]) -> None:
    report["written"] += part.get("written", [])
    report["unchanged"] += part.get("unchanged", [])
    report["skipped"] += part.get("skipped", [])
    report["chunks"] += int(part.get("chunks", 0))
    report["languages"].update(part.get("languages", {}))
    report["seconds"] += float(part.get("seconds", 0.0))


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {}


def _extension(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(SIDECAR_SUFFIX):
        return None
    return next((ext for ext in sorted(SUPPORTED_EXTENSIONS, key=len, reverse=True) if name.endswith(ext)), None)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
