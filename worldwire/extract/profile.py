"""learn(): teach a SiteProfile the article container of its host from a page that was
extracted the full way, so that the site's next pages need one cheap selector.

A container is learned only when the selector, tried on the very page it was learned
from, gives back the text the full extraction found. Pages that agree raise the
profile's confidence, pages that disagree lower it, and a profile at zero is replaced.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from worldwire.extract.blocks import common_ancestor, container_paragraphs
from worldwire.extract.core import pruned_tree_of
from worldwire.extract.cues import CueIndex
from worldwire.extract.document import decode_html, parse_html
from worldwire.extract.prune import drop_furniture, drop_non_content
from worldwire.extract.result import Extraction, SiteProfile, host_of
from worldwire.extract.text import word_key, words

MAX_CONFIDENCE = 10
# Share of words the selector's text and the full extraction must have in common.
MIN_AGREEMENT = 0.9
_UNSTABLE = re.compile(r"\d")  # post-1234, ember42: ids and classes that change per page


def learn(profile: SiteProfile | None, html: bytes | str, result: Extraction) -> SiteProfile | None:
    """The profile updated with what this page shows about its site. Returns the profile
    unchanged when the page teaches nothing (no text, a wall, or the selector path)."""
    if not result.text or result.flags or result.method == "selector":
        return profile
    host = host_of(result.url) or (profile.host if profile else "")
    if not host:
        return profile
    if profile is not None and profile.host != host:
        profile = None
    root = pruned_tree_of(html)
    if root is None:
        root = parse_html(decode_html(html)[0])
        if root is None:
            return profile
        drop_non_content(root)
        drop_furniture(root, len(root.text_content()), CueIndex(root))
    found = container_selector(root, result.text)
    if profile is None:
        return SiteProfile(host, found, 1) if found else None
    if found == profile.container:
        return SiteProfile(host, found, min(profile.confidence + 1, MAX_CONFIDENCE))
    if profile.confidence > 1:
        return SiteProfile(host, profile.container, profile.confidence - 1)
    return SiteProfile(host, found, 1) if found else None


def container_selector(root: HtmlElement, text: str) -> str:
    """An XPath naming the element that holds text on this (pruned) page, checked to
    give the same text back; "" when there is no such stable element."""
    paragraphs = [word_key(p) for p in text.split("\n\n")]
    wanted = {p for p in paragraphs if len(p) >= 40}
    matched = [e for e in root.iter("p") if word_key(e.text_content()) in wanted]
    if len(matched) < 2:
        return ""
    container = common_ancestor(matched)
    target = set(words(text))
    for candidate in [container, *container.iterancestors()][:4]:
        selector = _selector_for(root, candidate)
        if selector and _agrees(root, selector, target):
            return selector
    return ""


def _selector_for(root: HtmlElement, element: HtmlElement) -> str:
    tag = element.tag
    if tag in ("html", "body"):
        return ""
    ident = element.get("id")
    if ident and not _UNSTABLE.search(ident) and "'" not in ident:
        selector = f"//{tag}[@id='{ident}']"
        if len(root.xpath(selector)) == 1:
            return selector
    if "articlebody" in (element.get("itemprop") or "").lower():
        return f"//{tag}[@itemprop='{element.get('itemprop')}']"
    tokens = [
        t for t in (element.get("class") or "").split() if not _UNSTABLE.search(t) and "'" not in t
    ]
    # The token that names this element alone is the most robust to layout changes.
    for token in sorted(tokens, key=len, reverse=True):
        selector = f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {token} ')]"
        found = root.xpath(selector)
        if len(found) == 1 and found[0] is element:
            return selector
    return ""


def _agrees(root: HtmlElement, selector: str, target: set[str]) -> bool:
    try:
        elements = root.xpath(selector)
    except etree.XPathError:
        return False
    got = {w for e in elements for p in container_paragraphs(e) for w in words(p)}
    if not got or not target:
        return False
    common = len(got & target)
    return common >= MIN_AGREEMENT * len(target) and common >= MIN_AGREEMENT * len(got)
