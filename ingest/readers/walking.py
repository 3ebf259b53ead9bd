"""Folders walked recursively in sorted order, hidden files and folders left out; a file's
extension as the reader knows it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def walk(folder: Path) -> Iterator[Path | dict[str, str]]:
    """The files under `folder`, sorted by name; a folder or entry that cannot be read is
    yielded as a skipped ``{"source", "reason"}``."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        yield {"source": str(folder), "reason": f"cannot list the folder: {error.strerror or error}"}
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            if entry.is_dir():
                yield from walk(path)
            elif entry.is_file():
                yield path
        except OSError as error:
            yield {"source": str(path), "reason": f"cannot access it: {error.strerror or error}"}


def extension_of(path: Path) -> str:
    """The lower-case extension; ``.jsonl.gz`` counts as one."""
    name = path.name.lower()
    if name.endswith(".jsonl.gz"):
        return ".jsonl.gz"
    return path.suffix.lower()
