"""The full extraction, for pages that named no container: trafilatura's fast mode on
the pruned tree, with two repairs — its thorough mode when the fast one caught little
of the page's prose, and the rest of an article body split into same-class parts (ad
slots between "article__body" chunks) of which it took only the first."""

from __future__ import annotations

import re

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Document, Extractor

from worldwire.extract.blocks import container_paragraphs
from worldwire.extract.prose import prose_chars
from worldwire.extract.text import normalize_space, word_key

# A fast extraction with less than this share of the page's prose gets a second look.
MIN_FAST_SHARE = 0.35
_MIN_PAGE_PROSE = 250
# A class token naming an article part: a compound such as "article__body" or
# "entry-content", not a bare "text" or "content" that layouts reuse everywhere.
_BODYISH = re.compile(
    r"(?:^|\s)(?=[\w-]*(?:body|content|text|article|story|entry|post|chunk))[\w-]*[-_][\w-]+",
    re.I,
)
_FAST = Extractor(output_format="python", fast=True, comments=False, tables=True)
_THOROUGH = Extractor(output_format="python", fast=False, comments=False, tables=True)


def full_extraction(root: HtmlElement, paragraph_chars: int) -> tuple[list[str], str]:
    """The paragraphs, and which way they were found."""
    paragraphs = _from_trafilatura(root, _FAST)
    # Within an <article>, the thorough mode may only add what that article holds (see
    # _adds_to_article), so the fast text is measured against the article's prose.
    article = _article_of(root, paragraphs)
    if _looks_short(paragraphs, paragraph_chars if article is None else prose_chars(article)):
        # The fast extraction missed most of the prose: let trafilatura compare its
        # result with its fallback extractors, as it does by default.
        fuller = _from_trafilatura(root, _THOROUGH)
        if _adds_to_article(root, paragraphs, fuller):
            return fuller, "trafilatura-full"
    return _with_split_parts(root, paragraphs), "trafilatura"


def _adds_to_article(root: HtmlElement, fast: list[str], fuller: list[str]) -> bool:
    """Whether the thorough result adds to the article rather than around it: when the
    fast text sits in an <article> element, most of the added text must too (other
    <article>s on the page are teasers of other posts)."""
    known = {word_key(p) for p in fast}
    extra = [p for p in fuller if word_key(p) not in known]
    if sum(map(len, extra)) == 0:
        return False
    article = _article_of(root, fast)
    if article is None:
        return True
    inside = word_key(article.text_content())
    added = sum(len(p) for p in extra if word_key(p) in inside)
    return added >= 0.5 * sum(map(len, extra))


def _article_of(root: HtmlElement, paragraphs: list[str]) -> HtmlElement | None:
    """The <article> element the extracted text sits in, if any."""
    anchor = _element_of(root, paragraphs)
    if anchor is None:
        return None
    return next((a for a in anchor.iterancestors() if a.tag == "article"), None)


def _looks_short(paragraphs: list[str], paragraph_chars: int) -> bool:
    size = sum(map(len, paragraphs))
    return paragraph_chars >= _MIN_PAGE_PROSE and size < MIN_FAST_SHARE * paragraph_chars


def _from_trafilatura(root: HtmlElement, options: Extractor) -> list[str]:
    document = bare_extraction(root, options=options)
    if not isinstance(document, Document) or not document.text:
        return []
    return [line for line in (normalize_space(t) for t in document.text.split("\n")) if line]


def _with_split_parts(root: HtmlElement, paragraphs: list[str]) -> list[str]:
    """Add the rest of an article split into several same-class blocks (ad slots between
    "article-body" chunks), of which the full extraction took only the first."""
    anchor = _element_of(root, paragraphs)
    if anchor is None:
        return paragraphs
    for depth, container in enumerate(anchor.iterancestors()):
        if depth > 2 or container.tag in ("body", "html"):
            break
        cls = container.get("class")
        if not cls or not _BODYISH.search(cls):
            continue
        parts = [
            e
            for e in root.iter(container.tag)
            if e.get("class") == cls
            and not any(a.get("class") == cls or a.tag == "li" for a in e.iterancestors())
        ]
        if len(parts) < 2:
            continue
        known = {word_key(p) for p in paragraphs}
        extra = [
            p
            for part in parts
            if part is not container
            for p in container_paragraphs(part)
            if word_key(p) not in known
        ]
        return _merge_in_order(parts, container, paragraphs, extra)
    return paragraphs


def _merge_in_order(
    parts: list[HtmlElement], container: HtmlElement, paragraphs: list[str], extra: list[str]
) -> list[str]:
    """Text of the parts before the extracted one, the extraction, then the parts after."""
    index = parts.index(container)
    before = {word_key(p) for part in parts[:index] for p in container_paragraphs(part)}
    head = [p for p in extra if word_key(p) in before]
    tail = [p for p in extra if word_key(p) not in before]
    return head + paragraphs + tail


def _element_of(root: HtmlElement, paragraphs: list[str]) -> HtmlElement | None:
    """The <p> that printed the longest of the first paragraphs."""
    if not paragraphs:
        return None
    target = word_key(max(paragraphs[:3], key=len))
    if len(target) < 40:
        return None
    for element in root.iter("p"):
        if word_key(element.text_content()) == target:
            return element
    return None
