"""Documents from the API enter the facade's pipeline, so every rule (reading, cleaning, language
detection, skip reasons, unchanged detection) is the one `ahadi ingest` applies.

JSON documents go to `Ahadi.ingest_documents` as records. Uploaded files are written under their
(sanitised) names to a folder of the data directory's inbox (`DataDir.inbox`), read from there by
`Ahadi.ingest`, and removed after the request; leftovers of a killed server are removed at start.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO, Iterable

from api.errors import ApiError
from api.schemas import DocumentIn
from service.access import ALL_DOCUMENTS
from service.facade import Ahadi

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def documents(ahadi: Ahadi, docs: Iterable[DocumentIn]) -> dict[str, Any]:
    """Index JSON documents; a skipped one is named by its place in the request (`documents[2]`)."""
    return ahadi.ingest_documents([document_record(doc) for doc in docs], source="api:json").to_dict()


def document_record(doc: DocumentIn) -> dict[str, Any]:
    """A document as the reader's JSONL record: the fields given, dates as ISO text."""
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
    if doc.access is not None:
        record["access"] = doc.access
    return record


class Uploads:
    def __init__(self, ahadi: Ahadi, inbox: Path):
        self.ahadi = ahadi
        self.root = inbox

    @staticmethod
    def clean_inbox(inbox: Path) -> None:
        shutil.rmtree(inbox, ignore_errors=True)

    def ingest(self, files: list[tuple[str, BinaryIO]], access: list[str] | None = None) -> dict[str, Any]:
        """Index uploaded files, kept under their (sanitised) names: a file's name gives its id.
        `access`: the groups of the documents whose sidecar (or JSONL line) declares none.

        Each file goes into the first numbered subfolder where its name is free, so a name sent
        twice reaches the reader twice and is skipped the second time with the reader's reason;
        a sidecar (`x.meta.json`) sits beside the `x.*` sent before it.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="req-", dir=self.root))
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
            with self.ahadi.write_lock:
                report = self.ahadi.ingest(sources, access=access).to_dict()
                self._relabel_sources(report["written"], work)
            return relative_report(report, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _relabel_sources(self, doc_ids: list[str], work: Path) -> None:
        """The reader records where a document came from: the temporary folder means nothing
        later, so written records get `upload:<file name>` instead."""
        for doc_id in doc_ids:
            record = self.ahadi.store.document(ALL_DOCUMENTS, doc_id)
            source = (record or {}).get("source")
            if not isinstance(source, str):
                continue
            relative = _inside(source, work)
            if relative is not None:
                self.ahadi.store.update_document(doc_id, {"source": "upload:" + relative})


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
