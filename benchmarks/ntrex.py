"""NTREX-128 loading: documents per language and split, read in place from ../shared/data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Iterator

DEFAULT_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ntrex" / "ntrex_docs.jsonl.gz"

# NTREX language codes → Ahadi's. Bosnian stands in for Montenegrin (no Montenegrin translation exists).
LANGUAGES = {"eng": "en", "swa": "sw", "swe": "sv", "bos": "bs", "hrv": "hr", "srp-Latn": "sr", "fas": "fa"}
BENCHMARK_LANGUAGES = ("eng", "swa", "swe", "bos", "fas")


def load(split: str, languages: tuple[str, ...] = BENCHMARK_LANGUAGES, path: Path = DEFAULT_PATH) -> Iterator[dict]:
    """Records `{doc_id, lang, title, text, split}` of one split, `lang` already in Ahadi's codes."""
    if split not in ("dev", "test"):
        raise ValueError(f"unknown split {split!r}; valid splits: dev, test")
    if not path.exists():
        raise FileNotFoundError(f"NTREX not found at {path}; pass --ntrex PATH")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["split"] == split and record["lang"] in languages:
                yield {**record, "lang": LANGUAGES[record["lang"]]}


def doc_id(record: dict) -> str:
    """The id an NTREX article in one language is ingested under."""
    return f"ntrex-{record['doc_id']}-{record['lang']}"


def write_bulk(records, path: Path) -> Path:
    """Write `records` as an Ahadi JSONL bulk file (id, text, title, language) at `path`."""
    path.write_text(
        "".join(
            json.dumps({"id": doc_id(r), "text": r["text"], "title": r["title"], "language": r["lang"]}, ensure_ascii=False) + "\n"
            for r in records
        ),
        encoding="utf-8",
    )
    return path
