"""The paragraphs of one known article container, read directly from its elements.

This is the cheap path: when structured data, a body-naming class or a learned selector
has named the container, a walk over its blocks is all that is needed. Captions,
figures, hidden elements and blocks that are mostly links (related-article lists) stay
out.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_BLOCKS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt",
        "div", "section", "article", "main", "header", "ul", "ol", "dl", "table", "tbody",
        "thead", "tr", "center", "address", "details", "summary", "hr", "caption",
    }
)  # fmt: skip
# Ruby annotations (rt, rp) are reading aids printed over the words, not text.
_SKIPPED = frozenset({"figure", "figcaption", "picture", "img", "time", "noscript", "rt", "rp"})
# Soft hyphens and zero-width characters: invisible, but they split words for search.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# ("tag-economy" is WordPress naming a post's tags on the post itself: not a tag list.)
_SKIPPED_CUE = re.compile(
    r"caption|credit|(?:^|[-_ ])(?:byline|dateline|meta)(?:$|[-_ ])|[-_]tags?(?:$|[-_ ])|"
    r"(?:^|\s)tags?(?:$|\s)"
)
# A caption or a byline is a line or two: an element so named that holds more is a
# wrapper ("hs_cos_wrapper_meta_field" around a whole post).
_SKIPPED_MAX_CHARS = 600
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BREAKS = re.compile(r"\n\s*\n")
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# A short block that is mostly link text is a list of other articles, not prose.
_LINK_SHARE = 0.7
_LINK_BLOCK_MAX = 300


def container_paragraphs(container: HtmlElement) -> list[str]:
    walker = _Walker(container)
    walker.walk(container)
    walker.flush()
    return walker.paragraphs


def segments(
    container: HtmlElement, *, after: HtmlElement | None = None
) -> list[tuple[str, HtmlElement]]:
    """The paragraphs of container that come after the element `after` (all of them
    when it is None or not inside), each with the block element that holds it. Cells of
    layout tables (those holding line breaks or blocks) are blocks of their own here."""
    walker = _Walker(container, after, layout_cells=True)
    walker.walk(container)
    walker.flush()
    return list(zip(walker.paragraphs, walker.owners, strict=True))


class _Walker:
    __slots__ = (
        "after", "buffer", "in_link", "layout_cells", "linked", "open", "owners", "paragraphs",
    )  # fmt: skip

    def __init__(
        self, root: HtmlElement, after: HtmlElement | None = None, *, layout_cells: bool = False
    ) -> None:
        self.paragraphs: list[str] = []
        self.owners: list[HtmlElement] = []  # the innermost block holding each paragraph
        self.open = [root]  # the blocks being walked, innermost last
        self.buffer: list[str] = []
        self.linked: list[int] = []  # indexes of the buffer's pieces that sit inside links
        self.in_link = 0
        self.after = after
        self.layout_cells = layout_cells

    def add(self, text: str) -> None:
        if self.in_link and not is_printed_url(text):
            self.linked.append(len(self.buffer))
        self.buffer.append(text)

    def flush(self) -> None:
        if not self.buffer:
            return
        pieces, linked, self.buffer, self.linked = self.buffer, self.linked, [], []
        raw = "".join(pieces)
        if _INVISIBLE.search(raw):
            pieces = [_INVISIBLE.sub("", piece) for piece in pieces]
            raw = "".join(pieces)
        if "\n" not in raw:
            # One paragraph of one line: most blocks.
            links = sum(len(pieces[index].strip()) for index in linked)
            self._emit(_SPACE.sub(" ", raw).strip(), links)
            return
        # Where each piece of link text starts, to count it in its own paragraph: one
        # block of text may hold many paragraphs split by blank lines (<br><br>).
        marks, offset, at = [], 0, 0
        for index, piece in enumerate(pieces):
            if at < len(linked) and linked[at] == index:
                marks.append((offset, len(piece.strip())))
                at += 1
            offset += len(piece)
        start, mark = 0, 0
        for end in [*(m.start() for m in _BREAKS.finditer(raw)), len(raw)]:
            links = 0
            while mark < len(marks) and marks[mark][0] < end:
                links += marks[mark][1] if marks[mark][0] >= start else 0
                mark += 1
            chunk, start = raw[start:end], end
            lines = [_SPACE.sub(" ", line).strip() for line in chunk.split("\n")]
            self._emit("\n".join(line for line in lines if line), links)

    def _emit(self, text: str, links: int) -> None:
        if not text or (len(text) < _LINK_BLOCK_MAX and links >= _LINK_SHARE * len(text)):
            return
        self.paragraphs.append(text)
        self.owners.append(self.open[-1])

    def walk(self, element: HtmlElement) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        cue = element.get("class")
        if cue and _SKIPPED_CUE.search(cue.lower()) and _is_small(element):
            return
        if element.get("hidden") is not None or element.get("aria-hidden") == "true":
            return
        style = element.get("style")
        if style and "none" in style and _HIDDEN_STYLE.search(style):
            return
        if tag == "br":
            self.buffer.append("\n")
            return
        if element is self.after:
            # Everything up to here is before the anchor: forget it, and the anchor too.
            self.flush()
            self.paragraphs.clear()
            self.owners.clear()
            return
        block = tag in _BLOCKS or (
            self.layout_cells and tag in ("td", "th") and holds_blocks(element)
        )
        if block:
            self.flush()
            self.open.append(element)
        link = tag == "a"
        self.in_link += link
        if element.text:
            self.add(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self.add(child.tail)
        self.in_link -= link
        if block:
            self.flush()
            self.open.pop()
        elif tag in ("td", "th"):
            self.buffer.append(" ")


def _is_small(element: HtmlElement) -> bool:
    return len(element.text_content()) <= _SKIPPED_MAX_CHARS


def is_printed_url(text: str) -> bool:
    """A link printed as its address is a citation the author wrote, not a teaser."""
    return text.lstrip().startswith(("http://", "https://", "www."))


def holds_blocks(cell: HtmlElement) -> bool:
    """A table cell holding line breaks or blocks is a column of a layout, not data."""
    return any(isinstance(e.tag, str) and (e.tag == "br" or e.tag in _BLOCKS) for e in cell.iter())


def common_ancestor(elements: list[HtmlElement]) -> HtmlElement:
    """The nearest element that holds all of elements (which share one tree)."""
    shared = list(elements[0].iterancestors())
    for element in elements[1:]:
        ancestors = set(element.iterancestors())
        shared = [a for a in shared if a in ancestors]
    return shared[0] if shared else elements[0]
