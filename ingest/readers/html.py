"""HTML (``.html``, ``.htm``) to its visible text, and its title."""

from __future__ import annotations

from typing import Any

_HTML_DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg", "iframe")
_HTML_BLOCK_TAGS = frozenset(
    """address article blockquote body caption center dd details dialog dir div dl dt fieldset figcaption
    figure h1 h2 h3 h4 h5 h6 hr html legend li main menu ol p pre section summary table tbody thead tfoot
    tr ul""".split()
)
_HTML_CELL_TAGS = frozenset({"td", "th"})


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible text of an HTML page, block elements separated by blank lines; and its title."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title = None
    title_node = tree.css_first("title")
    if title_node is not None:
        title = " ".join(title_node.text(deep=True).split()) or None
    for node in tree.css(",".join(_HTML_DROP_TAGS)):
        node.decompose()
    if title is None:
        h1 = tree.css_first("h1")
        if h1 is not None:
            title = " ".join(h1.text(deep=True).split()) or None
    root = tree.body if tree.body is not None else tree.root
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line_texts = [" ".join(part.split()) for part in "".join(current).split("\n")]
        block = "\n".join(line for line in line_texts if line)
        if block:
            blocks.append(block)
        current.clear()

    if root is not None:
        # iterative walk (deeply nested pages must not hit the recursion limit)
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            tag = node.tag
            if leaving:
                if tag in _HTML_BLOCK_TAGS:
                    flush()
                elif tag in _HTML_CELL_TAGS:
                    current.append(" ")
                continue
            if tag == "-text":
                current.append(node.text(deep=False) or "")
                continue
            if tag in ("-comment", "-doctype") or tag is None:
                continue
            if tag == "br":
                current.append("\n")
                continue
            if tag == "pre":
                flush()
                blocks.append(node.text(deep=True).strip("\n"))
                continue
            if tag in _HTML_BLOCK_TAGS:
                flush()
            stack.append((node, True))
            children = []
            child = node.child
            while child is not None:
                children.append(child)
                child = child.next
            stack.extend((c, False) for c in reversed(children))
    flush()
    return "\n\n".join(block for block in blocks if block.strip()), title
