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
_SKIPPED_CUE = re.compile(r"caption|credit|(?:^|[-_ ])(?:byline|dateline|tags?|meta)(?:$|[-_ ])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BREAKS = re.compile(r"\n\s*\n")
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# A short block that is mostly link text is a list of other articles, not prose.
_LINK_SHARE = 0.7
_LINK_BLOCK_MAX = 300


def container_paragraphs(container: HtmlElement) -> list[str]:
    walker = _Walker()
    walker.walk(container)
    walker.flush()
    return walker.paragraphs


class _Walker:
    __slots__ = ("buffer", "in_link", "link_chars", "paragraphs")

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []
        self.link_chars = 0  # characters of the buffer that sit inside links
        self.in_link = 0

    def add(self, text: str) -> None:
        self.buffer.append(text)
        if self.in_link:
            self.link_chars += len(text.strip())

    def flush(self) -> None:
        if not self.buffer:
            return
        raw = _INVISIBLE.sub("", "".join(self.buffer))
        links, self.buffer, self.link_chars = self.link_chars, [], 0
        for chunk in _BREAKS.split(raw):
            lines = [_SPACE.sub(" ", line).strip() for line in chunk.split("\n")]
            text = "\n".join(line for line in lines if line)
            if not text:
                continue
            if len(text) < _LINK_BLOCK_MAX and links >= _LINK_SHARE * len(text):
                continue
            self.paragraphs.append(text)

    def walk(self, element: HtmlElement) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        cue = element.get("class")
        if cue and _SKIPPED_CUE.search(cue.lower()):
            return
        if element.get("hidden") is not None or element.get("aria-hidden") == "true":
            return
        style = element.get("style")
        if style and "none" in style and _HIDDEN_STYLE.search(style):
            return
        if tag == "br":
            self.buffer.append("\n")
            return
        block = tag in _BLOCKS
        if block:
            self.flush()
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
        elif tag in ("td", "th"):
            self.buffer.append(" ")


def common_ancestor(elements: list[HtmlElement]) -> HtmlElement:
    """The nearest element that holds all of elements (which share one tree)."""
    shared = list(elements[0].iterancestors())
    for element in elements[1:]:
        ancestors = set(element.iterancestors())
        shared = [a for a in shared if a in ancestors]
    return shared[0] if shared else elements[0]
