"""How a line ends when it leads into what follows, shared by the title reader
(`ingest.readers.plain`: a kicker is no title) and the commitment classifier
(`ingest.commitments.classifier`: a lead-in opens a list)."""

from __future__ import annotations

import re

#: A colon, maybe before a closing quote: "Kommunen lovar:", "Policing in your area will be:".
COLON_END_RE = re.compile(r"[:：]\s*[\"”’»]?\s*$")
#: A semicolon or an ellipsis where a colon would stand: "I pledge to;", "… are as follows…".
OPEN_END_RE = re.compile(r"(?:[;؛…]|\.\.\.)\s*[\"”’»]?\s*$")


def leads_in(line: str) -> bool:
    """Does the line end as a lead-in or a kicker does?"""
    return bool(COLON_END_RE.search(line) or OPEN_END_RE.search(line))
