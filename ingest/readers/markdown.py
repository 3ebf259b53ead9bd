"""Markdown (``.md``) to plain text, and its title."""

from __future__ import annotations

import re

_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^```.*$|^~~~.*$", re.M), ""),  # code fences (content kept)
    (re.compile(r"^ {0,3}(?:[-*_] *){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$", re.M), ""),  # reference link definitions
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.M), ""),  # setext heading underlines
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),  # blockquote markers
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"!?\[([^\]]+)\]\([^)]*\)"), r"\1"),  # inline links → text
    (re.compile(r"!?\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links → text
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # _emphasis_
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strikethrough
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
)


def markdown_to_text(markdown: str) -> tuple[str, str | None]:
    """Strip markdown syntax lightly; returns (text, title from the first level-1/2 heading)."""
    title = None
    match = re.search(r"^ {0,3}#{1,2}[ \t]+(.+?)[ \t]*#*[ \t]*$", markdown, re.M)
    if match:
        title = match.group(1).strip()
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    if title is not None:
        for pattern, replacement in _MD_RULES[6:]:
            title = pattern.sub(replacement, title)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text, title or None
