"""Documents from the API enter through the CLI's pipeline: written to a temporary folder as files
(uploads) or as one JSONL file (JSON documents), then `Ahadi.ingest`, so every rule (reading,
cleaning, language detection, skip reasons, unchanged detection) is the same as for `ahadi ingest`.

The folder lives under the data directory (`<data_dir>/.api-inbox/`) and is removed after each
request; leftovers of a killed server are removed at start. Writes are serialised by one lock.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable

from api.errors import ApiError
from api.schemas import DocumentIn

if TYPE_CHECKING:
    from ahadi.service import Ahadi

log = logging.getLogger("api")
JSONL_NAME = "documents.jsonl"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


class Ingestion:
    def __init__(self, ahadi: Ahadi, inbox: Path, write_lock: threading.Lock):
        self.ahadi = ahadi
        self.root = inbox
        self.lock = write_lock

    @staticmethod
    def clean_inbox(inbox: Path) -> None:
        shutil.rmtree(inbox, ignore_errors=True)

    def _workdir(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="req-", dir=self.root))

    def documents(self, documents: Iterable[DocumentIn]) -> dict[str, Any]:
        """Index JSON documents: one JSONL file, one line per document."""
        work = self._workdir()
        try:
            path = work / JSONL_NAME
            ids = []
            with open(path, "w", encoding="utf-8") as f:
                for doc in documents:
                    f.write(json.dumps(jsonl_record(doc), ensure_ascii=False) + "\n")
                    ids.append(doc.id)
            report = self._ingest([path], work, "api:json")
            return _name_json_sources(report, ids)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def uploads(self, files: list[tuple[str, BinaryIO]]) -> dict[str, Any]:
        """Index uploaded files, kept under their (sanitised) names: a file's name gives its id.

        Each file goes into the first numbered subfolder where its name is free, so a name sent
        twice reaches the reader twice and is skipped the second time with the reader's reason;
        a sidecar (`x.meta.json`) sits beside the `x.*` sent before it.
        """
        work = self._workdir()
        try:
            paths = []
            taken: dict[str, int] = {}
            for original, stream in files:
                name = safe_filename(original)
                slot = taken.get(name.casefold(), 0)
                taken[name.casefold()] = slot + 1
                folder = work / str(slot)
                folder.mkdir(exist_ok=True)
                target = folder / name
                with open(target, "wb") as out:
                    shutil.copyfileobj(stream, out, length=1 << 20)
                paths.append(target)
            # Sidecars are read by the reader with their file, not on their own.
            sources = [p for p in paths if not p.name.lower().endswith(".meta.json")] or paths
            return self._ingest(sources, work, "upload:")
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _ingest(self, sources: list[Path], work: Path, label: str) -> dict[str, Any]:
        with self.lock:
            report = self.ahadi.ingest(sources).to_dict()
            self._relabel_sources(report["written"], work, label)
        return relative_report(report, work)

    def _relabel_sources(self, doc_ids: list[str], work: Path, label: str) -> None:
        """The reader records where a document came from: the temporary folder means nothing
        later, so written records get `upload:<file name>` or `api:json` instead."""
        for doc_id in doc_ids:
            record = self.ahadi.store.document(doc_id)
            source = (record or {}).get("source")
            if not isinstance(source, str):
                continue
            relative = _inside(source, work)
            if relative is not None:
                self.ahadi.store.update_document(doc_id, {"source": label if label.endswith("json") else label + relative})


_LINE = re.compile(r"^" + re.escape(JSONL_NAME) + r"#L(\d+)$")


def _name_json_sources(report: dict[str, Any], ids: list[str]) -> dict[str, Any]:
    """A skipped JSON document is named by its place in the request (`documents[2]`) and its id."""
    for item in report["skipped"]:
        match = _LINE.match(item["source"])
        if match and 1 <= int(match.group(1)) <= len(ids):
            index = int(match.group(1)) - 1
            item["source"] = f"documents[{index}]"
            item["doc_id"] = ids[index]
            item["reason"] = re.sub(r"^line \d+: ", "", item["reason"])
    return report


def jsonl_record(doc: DocumentIn) -> dict[str, Any]:
    record: dict[str, Any] = {"id": doc.id, "text": doc.text}
    for key in ("title", "language", "country", "region", "doc_type"):
        value = getattr(doc, key)
        if value is not None:
            record[key] = value
    if doc.organisations:
        record["organisations"] = doc.organisations
    if doc.date is not None:
        record["date"] = doc.date.isoformat()
    if doc.year is not None:
        record["year"] = doc.year
    if doc.metadata:
        record["metadata"] = doc.metadata
    return record


def safe_filename(name: str | None) -> str:
    """The base name of an uploaded file, without path parts or characters unsafe on disk."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    base = _UNSAFE.sub("_", base).lstrip(".")
    if not base:
        raise ApiError(422, "invalid_file_name", f"the uploaded file name {name!r} is empty or not usable", {"file": name})
    if len(base.encode("utf-8")) > 200:
        stem, dot, ext = base.rpartition(".")
        base = stem.encode("utf-8")[: 180].decode("utf-8", "ignore") + dot + ext[:15] if dot else base[:100]
    return base


def _inside(source: str, work: Path) -> str | None:
    """`source` relative to the request's folder (without the slot folder), or None when outside it."""
    for prefix in (str(work) + "/", str(work.resolve()) + "/"):
        if source.startswith(prefix):
            return re.sub(r"^\d+/", "", source[len(prefix):])
    return None


def relative_report(report: dict[str, Any], work: Path) -> dict[str, Any]:
    """Skip reasons name the uploaded file, not the temporary folder it was written to."""
    pattern = re.compile("(?:" + "|".join(re.escape(str(p) + "/") for p in {work, work.resolve()}) + r")(?:\d+/)?")

    def strip(text: Any) -> Any:
        return pattern.sub("", text) if isinstance(text, str) else text

    skipped = []
    for item in report.get("skipped", []):
        entry = {"source": strip(item.get("source", "")), "reason": strip(item.get("reason", ""))}
        doc_id = item.get("doc_id") or item.get("id")
        if doc_id:
            entry["doc_id"] = doc_id
        skipped.append(entry)
    return {**report, "skipped": skipped}
