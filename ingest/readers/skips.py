"""Why a file or line is skipped, in words: the exception that carries the reason, and sizes as a
person reads them."""

from __future__ import annotations


class _Skip(Exception):
    """A file or line that cannot become a document; the message is the reason."""


def _size_text(n_bytes: int) -> str:
    """``31.0 MB``, ``2.1 GB``, ``0.5 kB``: decimal units, like AHADI_MAX_FILE_MB."""
    if n_bytes >= 1_000_000_000:
        return f"{n_bytes / 1_000_000_000:.1f} GB"
    if n_bytes >= 100_000:
        return f"{n_bytes / 1_000_000:.1f} MB"
    return f"{n_bytes / 1_000:.1f} kB"


def _limit_text(n_bytes: int) -> str:
    """``20 MB`` (or ``0.5 kB`` for tiny test limits)."""
    if n_bytes >= 100_000:
        return f"{n_bytes / 1_000_000:g} MB"
    return f"{n_bytes / 1_000:g} kB"
