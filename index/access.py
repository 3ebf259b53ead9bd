"""Who may read a document: its `access` field, a list of group names stored on its record and on
every one of its parts (so a search filters on an indexed field and needs no join), and the
`Reader` that every read of the store is made for. A module of its own, without the engines, so
that the settings and the key commands can check group names without loading Qdrant."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterable, TypeVar

F = TypeVar("F")

PUBLIC_GROUP = "public"
"""The group every caller holds: `AHADI_DEFAULT_ACCESS`'s default, so documents without `access` stay readable."""
NO_GROUP = ""
"""An access no caller holds (group names are never empty): what a reader of no group matches,
and what a document's old parts carry while a write that takes groups away commits."""
EVERY_GROUP = "*"
"""A caller's group that stands for all of them (an administrator's key); never a document's."""
# White space as `str.strip()` sees it, spelled out: JSON Schema's `\s` (what API clients check a
# pattern with) and Python's differ.
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
GROUP_PATTERN = rf"^[^{_SPACE},*\x00-\x1f\x7f](?:[^,\x00-\x1f\x7f]{{0,126}}[^{_SPACE},\x00-\x1f\x7f])?$"
"""A group name: 1-128 characters, no comma, no control character, no surrounding space, not `*`."""
_GROUP_RE = re.compile(GROUP_PATTERN)


def check_groups(values: Iterable[Any], what: str = "access") -> list[str]:
    """Group names as stored: 1-128 characters, no comma (headers and settings list groups with
    commas), no control character, no surrounding space; `*` only as a caller's whole group.
    Keycloak's `/police` and LDAP names without commas pass. Raises ValueError naming `what`."""
    groups = []
    for value in values:
        if not isinstance(value, str) or not _GROUP_RE.match(value.strip()):
            raise ValueError(f"{what}: {value!r} is not a group name (1-128 characters, no comma or control character, not *)")
        groups.append(value.strip())
    return list(dict.fromkeys(groups))


@dataclass(frozen=True)
class Reader:
    """Whom a read is for: the access groups whose documents it may see, or with `groups` None
    every document (the CLI on its own data directory, an administrator).

    Every read method of `ChunkStore` takes one as its first argument, and this class alone turns
    it into the store's filter, so no read path can leave access out: a hidden document is
    filtered in the engine (not after it), and looks exactly like a missing one.
    """

    groups: frozenset[str] | None

    def restrict(self, filters: F) -> F:
        """`filters` limited to this reader's documents (whatever `access` they carried)."""
        return replace(filters, access=None if self.groups is None else sorted(self.groups))

    def conditions(self) -> dict[str, Any]:
        """The same restriction as a field → accepted values condition (scroll, count)."""
        return {} if self.groups is None else {"access": sorted(self.groups) or [NO_GROUP]}

    def may_see(self, payload: dict[str, Any]) -> bool:
        return self.groups is None or not self.groups.isdisjoint(payload.get("access") or ())


ALL_DOCUMENTS = Reader(None)
