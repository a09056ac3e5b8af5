"""The article read from its headline down, for pages that name no container.

A news page prints the headline, then a byline or dateline, then the text; what comes
before the headline (the masthead, menus, a kicker, breadcrumbs) is not the article.
So: find the element that prints the headline, find the main prose block after it
(the longest paragraph that is neither link text nor furniture; on a brief, the first),
and read the nearest element holding both, from the headline to the last paragraph of
that block's container. Unlike a search for the densest block, this works as well on a
one-paragraph brief as on a long report, and on old table layouts without a single
class name. body.py decides whether to trust the reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml.html import HtmlElement

from worldwire.extract.blocks import segments
from worldwire.extract.text import normalize_space, word_key

# Less prose than this after the headline is a brief: whatever follows the headline is
# the article, however much furniture surrounds it (trafilatura's own minimum).
BRIEF_CHARS = 250
# The headline is looked for among this many characters of text around the title's size.
_SLACK = 20
_LETTER = re.compile(r"[^\W\d_]")
_PARAGRAPH_LEVEL = frozenset(
    {"p", "li", "ul", "ol", "dl", "dd", "dt", "blockquote", "pre", "h2", "h3", "h4", "h5", "h6"}
)


def find_headline(root: HtmlElement, title: str) -> HtmlElement | None:
    """The element that prints the headline: an <h1> that says the title, else any
    element whose own text is the title (a big <font> in a table layout). Link text is
    never the headline: it is another article's title."""
    key = word_key(title)
    if len(key) < 8:
        return None
    for element in root.iter("h1"):
        if word_key(element.text_content()) == key and not _in_link(element):
            return element
    low, high = len(title) - _SLACK, len(title) + _SLACK
    for element in root.iter():
        text = element.text
        if not text or not (low <= len(text) <= high) or not isinstance(element.tag, str):
            continue
        if element.tag in ("title", "a") or word_key(text) != key:
            continue
        if not _in_link(element) and normalize_space(element.text_content()) == normalize_space(
            text
        ):
            return element
    return None


def _in_link(element: HtmlElement) -> bool:
    return any(a.tag == "a" for a in element.iterancestors())


@dataclass(slots=True)
class Anchored:
    paragraphs: list[str]  # from the headline on, in the element holding the main prose
    share: float  # of the prose that follows the headline on the page, in those paragraphs
    brief: bool  # the page has less prose than BRIEF_CHARS after its headline


def read_from_headline(
    root: HtmlElement, headline: HtmlElement, clean: Callable[[list[str]], list[str]]
) -> Anchored:
    """The paragraphs after the headline in the nearest element holding the headline
    and the main prose block after it, up to the last paragraph of that block's
    container (boxes nested after it hold tags, author notes, appeals, teasers).

    clean: the cleanup the paragraphs will get, to tell prose from bylines, datelines
    and furniture. On a brief the main block is the first prose block, not the longest:
    a brief is shorter than the blurb in the footer."""
    body = root.find("body")
    after = segments(body if body is not None else root, after=headline)
    kept = set(clean([text for text, _ in after]))
    # A brief's text may be its headline again: prose here, whatever cleanup makes of it.
    title = word_key(headline.text_content())
    prose = [
        (text, owner)
        for text, owner in after
        if (text in kept or word_key(text) == title) and _LETTER.search(text)
    ]
    total = sum(len(text) for text, _ in prose)
    if not total:
        return Anchored([], 0.0, True)
    brief = total < BRIEF_CHARS
    main = prose[0][1] if brief else max(prose, key=lambda item: len(item[0]))[1]
    holder = _holder(headline, main)
    ending = _text_container(main)
    inside: list[str] = []
    last = 0
    for text, owner in after:
        if _within(owner, holder):
            inside.append(text)
            if owner is ending or owner.getparent() is ending:
                last = len(inside)
    inside = inside[:last]
    read = sum(len(text) for text in set(inside) & kept)
    return Anchored(inside, read / total, brief)


def _text_container(block: HtmlElement) -> HtmlElement:
    """The element whose children are the article's paragraphs."""
    element = block
    while element.tag in _PARAGRAPH_LEVEL:
        parent = element.getparent()
        if parent is None:
            break
        element = parent
    return element


def _within(element: HtmlElement, holder: HtmlElement) -> bool:
    return element is holder or any(a is holder for a in element.iterancestors())


def _holder(headline: HtmlElement, block: HtmlElement) -> HtmlElement:
    """The nearest element holding both (block may itself hold the headline)."""
    # The set holds the elements themselves: lxml keeps one proxy per node only while
    # it is referenced, so ids of dropped proxies may be reused.
    ancestors = set(headline.iterancestors())
    if block in ancestors:
        return block
    for element in block.iterancestors():
        if element in ancestors:
            return element
    return block
