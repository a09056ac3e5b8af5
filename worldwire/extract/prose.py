"""How much prose a page, or a part of it, holds: the yardstick the cheap paths are
held to ("this container holds most of the page's prose") and that tells a thin
extraction from a full one."""

from __future__ import annotations

from lxml.html import HtmlElement

from worldwire.extract.blocks import holds_blocks, is_printed_url, segments
from worldwire.extract.cleanup import is_furniture

# A block with this share of link text is a menu or a list of links (as in blocks.py).
MENU_LINK_SHARE = 0.7
_PROSE_BLOCKS = frozenset({"p", "li", "h2", "h3", "h4", "pre", "blockquote", "td"})


def prose_chars(root: HtmlElement) -> int:
    """Text in the prose blocks under root (nested ones counted once), after pruning. A
    block that is mostly link text is a menu or a list of other articles, not prose; a
    cell of a layout table is no paragraph but a column of them, less its furniture."""
    total = 0
    for block in root.iter(*_PROSE_BLOCKS):
        if block.getparent() is not None and _inside_block(block):
            continue
        if block.tag == "td" and holds_blocks(block):
            total += sum(len(text) for text, _ in segments(block) if not is_furniture(text))
            continue
        size = len(block.text_content().strip())
        if size and next(block.iter("a"), None) is not None:
            linked = sum(
                len(text)
                for text in (a.text_content().strip() for a in block.iter("a"))
                if not is_printed_url(text)
            )
            if linked >= MENU_LINK_SHARE * size:
                continue
        total += size
    return total


def _inside_block(element: HtmlElement) -> bool:
    return any(a.tag in _PROSE_BLOCKS for a in element.iterancestors())
