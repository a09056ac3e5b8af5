"""Where the article text comes from, cheapest trustworthy path first:

1. a container selector learned for this site (SiteProfile),
2. a container the page names itself: microdata itemprop="articleBody", or the element
   that holds the JSON-LD articleBody text (when the two agree),
3. an element whose class names the article body ("entry-content", "article__body"),
4. the text read from the headline down (anchored.py),
5. trafilatura's fast extraction on the pruned tree; its thorough mode when the fast
   one caught little of the page's prose; the rest of a body split into same-class
   parts.

A cheap path is taken only when its container holds most of the page's prose. The
headline path, which no markup vouches for, must hold nearly all the prose after the
headline and measure what the page's prose measures; on a brief, whatever follows the
headline is the article. Otherwise the next path runs, so a wrong hint costs time,
never text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from worldwire.extract.anchored import find_headline, read_from_headline
from worldwire.extract.blocks import common_ancestor, container_paragraphs
from worldwire.extract.cues import CueIndex
from worldwire.extract.full import full_extraction
from worldwire.extract.prose import prose_chars
from worldwire.extract.prune import MODIFIERS as _MODIFIERS
from worldwire.extract.result import SiteProfile
from worldwire.extract.structured import Signals
from worldwire.extract.text import word_key, words

# Profiles below this many confirmations are still being learned.
MIN_PROFILE_CONFIDENCE = 2
# A cheap container must hold this share of the page's prose (a container found by its
# class name alone, the larger share).
MIN_CONTAINER_SHARE = 0.6
MIN_NAMED_SHARE = 0.7
# The text read from the headline must hold this share of the prose that follows the
# headline, and measure what the page's prose blocks measure within this margin: much
# less misses text, much more reads what is not prose.
MIN_HEADLINE_SHARE = 0.9
HEADLINE_MARGIN = 0.15
# ...plus about what a masthead line and a few section labels add up to: on a short
# report they are more than 15% of the page.
HEADLINE_SLACK = 100
# JSON-LD articleBody shorter than this is a description, not the text.
MIN_ARTICLE_BODY_CHARS = 250
# Share of the JSON-LD articleBody words the page must show for the two to agree.
MIN_AGREEMENT = 0.8

# Class and id names that mean "the article body" on common CMSs and themes.
BODY_NAMES = re.compile(
    r"article[-_]{0,2}(?:body|content|text)|entry[-_]{0,2}content|post[-_]{0,2}(?:content|"
    r"body|text)|story[-_]{0,2}(?:body|content)|body[-_]?text|rich[-_]?text|field[-_]?body|"
    r"text[-_]?body|content[-_]?body|main[-_]?text|td-post-content|single[-_]?content|"
    r"blog[-_]?content|news[-_]?text|artikel"
)
_BODY_NEEDLES = ("body", "content", "text", "artikel")


@dataclass(slots=True)
class Body:
    paragraphs: list[str]
    method: str
    warnings: list[str]


def find_body(
    root: HtmlElement,
    signals: Signals,
    profile: SiteProfile | None,
    cues: CueIndex,
    title: str,
    clean: Callable[[list[str]], list[str]],
) -> Body:
    """title: the article's headline; clean: the cleanup the paragraphs will get."""
    warnings: list[str] = []
    paragraph_chars = prose_chars(root)
    if profile is not None and profile.container and profile.confidence >= MIN_PROFILE_CONFIDENCE:
        found = _from_selector(root, profile.container, paragraph_chars)
        if found:
            return Body(found, "selector", warnings)
        warnings.append(f"learned container {profile.container!r} did not fit this page")
    if signals.has_article_body_microdata:
        found = _from_microdata(root, paragraph_chars)
        if found:
            return Body(found, "microdata", warnings)
    article_body = signals.article.get("articleBody")
    if isinstance(article_body, str) and len(article_body) >= MIN_ARTICLE_BODY_CHARS:
        found = _from_jsonld(root, article_body, paragraph_chars)
        if found:
            return Body(found, "jsonld", warnings)
    found = _from_named_container(root, cues, paragraph_chars)
    if found:
        return Body(found, "container", warnings)
    headline = find_headline(root, title)
    if headline is not None:
        read = read_from_headline(root, headline, clean)
        # The page's prose counts the headline, which the text read from it leaves out.
        prose = paragraph_chars - len(headline.text_content().strip())
        if read.paragraphs and (
            read.brief or (read.share >= MIN_HEADLINE_SHARE and _agrees(read.paragraphs, prose))
        ):
            return Body(read.paragraphs, "headline", warnings)
    paragraphs, method = full_extraction(root, paragraph_chars)
    return Body(paragraphs, method, warnings)


def _acceptable(
    paragraphs: list[str], paragraph_chars: int, share: float = MIN_CONTAINER_SHARE
) -> bool:
    size = sum(len(p) for p in paragraphs)
    return size > 0 and size >= share * paragraph_chars


def _agrees(paragraphs: list[str], paragraph_chars: int) -> bool:
    size = sum(len(p) for p in paragraphs)
    return abs(size - paragraph_chars) <= HEADLINE_MARGIN * paragraph_chars + HEADLINE_SLACK


def _from_selector(root: HtmlElement, selector: str, paragraph_chars: int) -> list[str] | None:
    try:
        found = root.xpath(selector)
    except etree.XPathError:
        return None
    elements = [e for e in found if isinstance(e, HtmlElement)] if isinstance(found, list) else []
    if not elements:
        return None
    paragraphs = [p for element in elements for p in container_paragraphs(element)]
    return paragraphs if _acceptable(paragraphs, paragraph_chars) else None


def _from_microdata(root: HtmlElement, paragraph_chars: int) -> list[str] | None:
    containers = [
        e for e in root.iter() if "articlebody" in (e.get("itemprop") or "").lower().split()
    ]
    if not containers:
        return None
    # Nested or repeated markers (a teaser and the full body): keep the outermost ones.
    outer = [e for e in containers if not any(a in containers for a in e.iterancestors())]
    paragraphs = [p for element in outer for p in container_paragraphs(element)]
    return paragraphs if _acceptable(paragraphs, paragraph_chars) else None


def _from_named_container(
    root: HtmlElement, cues: CueIndex, paragraph_chars: int
) -> list[str] | None:
    """The innermost element whose class or id names the article body ("entry-content",
    "article__body", ...) and that holds most of the page's prose."""
    needed = MIN_NAMED_SHARE * paragraph_chars
    candidates = [
        element
        for element, cue in cues.named(BODY_NAMES, _BODY_NEEDLES)
        # "article-content--scroll-behavior" describes the page, not a part of it
        if element.tag not in ("html", "body")
        and BODY_NAMES.search(_MODIFIERS.sub(" ", cue))
        # pruned along with some furniture around it
        and element.getroottree().getroot() is root
        # the raw text bounds the paragraphs from above: a cheap first test
        and len(element.text_content()) >= needed
    ]
    # Innermost first: a later match in document order is nested or a sibling.
    for element in reversed(candidates):
        paragraphs = container_paragraphs(element)
        if _acceptable(paragraphs, paragraph_chars, MIN_NAMED_SHARE):
            return paragraphs
    return None


def _from_jsonld(root: HtmlElement, article_body: str, paragraph_chars: int) -> list[str] | None:
    """The container whose paragraphs the JSON-LD articleBody repeats, when it does."""
    claimed = word_key(article_body)
    matched = []
    for paragraph in root.iter("p"):
        text = word_key(paragraph.text_content())
        if len(text) >= 40 and text in claimed:
            matched.append(paragraph)
    if not matched:
        return None
    paragraphs = container_paragraphs(common_ancestor(matched))
    shown = set(words(" ".join(paragraphs)))
    claimed_words = words(article_body)
    agreement = sum(1 for w in claimed_words if w in shown) / len(claimed_words)
    if agreement < MIN_AGREEMENT:
        return None
    return paragraphs if _acceptable(paragraphs, paragraph_chars) else None
