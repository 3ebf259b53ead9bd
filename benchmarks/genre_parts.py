"""The judged genre set's folder and parts (`benchmarks/genre/README.md` says how each was sealed)."""

import json
from pathlib import Path

GENRE = Path(__file__).resolve().parents[1] / "benchmarks" / "genre"
# dev: settings are chosen here. sealed: held out in session 4 and reported in sessions 4 and 5,
# since used as dev too. sealed2: written and sealed in session 6 before any run on it, reported in
# session 6, dev data since. sealed3: written and sealed in session 7 before any run on it.
PARTS = ("dev", "sealed", "sealed2", "sealed3")
DEV_PARTS = ("dev", "sealed", "sealed2")
# The shipped question direction was fitted in session 6, when sealed2 was still held out.
QUESTION_DIRECTION_PARTS = ("dev", "sealed")


def document_languages(part: str) -> dict[str, str]:
    """Each document of `part` → its judged language."""
    rows = (json.loads(line) for line in (GENRE / part / "docs.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["doc_id"]: row["lang"] for row in rows}
