"""Who may read what: a caller's groups become the store's `Reader`, in this one place.

A document's `access` lists the groups that may read it (a document that declares none gets
`AHADI_DEFAULT_ACCESS`, `public` unless set). Every caller holds `public`, so documents left at
the default are read by everyone, as before access existed. A caller's `*` stands for every group
(an administrator's key): it reads every document, as the CLI does on its own data directory.
"""

from __future__ import annotations

from typing import Iterable

from index.access import ALL_DOCUMENTS, EVERY_GROUP, GROUP_PATTERN, PUBLIC_GROUP, Reader, check_groups

__all__ = ["ALL_DOCUMENTS", "EVERY_GROUP", "GROUP_PATTERN", "PUBLIC_GROUP", "Reader", "caller_groups", "reader_for"]


def caller_groups(values: Iterable[str], what: str = "group") -> list[str]:
    """A caller's groups, checked: group names as documents carry them, or `*` alone for all."""
    values = [str(value).strip() for value in values]
    if EVERY_GROUP in values:
        return [EVERY_GROUP]
    return check_groups(values, what)


def reader_for(groups: Iterable[str]) -> Reader:
    """The reader of a caller holding `groups` (and `public`, which every caller holds)."""
    held = set(groups)
    if EVERY_GROUP in held:
        return ALL_DOCUMENTS
    return Reader(frozenset(held | {PUBLIC_GROUP}))
