"""Cheap pruning of obvious page furniture, before any costly extraction.

Whatever is cut here is cut for every later path, and a smaller tree makes the full
extraction faster. So the rules are conservative: whole element kinds that never hold
article text (script, nav, footer, forms...), and elements whose class or id names them
furniture (share bars, cookie banners, newsletter boxes, related lists,
comments, ads) — the last only while they hold a small part of the page's text, so that
a wrapper named "content-with-sidebar" can never take the article with it.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement, fragments_fromstring

from worldwire.extract.cues import CueIndex

DROP_TAGS = (
    "script",
    "style",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "nav",
    "footer",
    "aside",
    "button",
    "select",
    "input",
    "textarea",
    "label",
    "dialog",
    "menu",
    "head",
    "link",
    "meta",
)
# Words that name furniture when they stand as a whole word of a class or id.
_FURNITURE = re.compile(
    r"(?<![a-z0-9])(?:share|sharing|sharebar|social|related|newsletter|comments?|cookies?|"
    r"consent|gdpr|advert|advertisement|adverts|ads?|adslot|adunit|dfp|promo[a-z]*|"
    r"sidebar|rail|breadcrumbs?|popular|most-?read|trending|recommended|recirculation|subscribe|"
    r"signup|outbrain|taboola|disqus|nav|navbar|navigation|menu|skip-?link|print-?only|"
    r"sr-only|visually-?hidden|screen-?reader-?text|tooltip|popover|hovercard|rollover)"
    r"(?![a-z0-9])"
)
PAYWALL_MARKUP = re.compile(
    r"paywall|pay-wall|regwall|premium-?(?:content|article|teaser|lock)|article-?locked|"
    r"locked-?content|piano-?(?:offer|paywall)|payed-?content|paid-?content"
)
# State modifiers describe the element, they do not name it: "o-section--has-ads",
# "gallery__with-sidebar", "tab-menu" (tabs of content).
# Embeds ("social-media-embed") hold quoted posts, which are part of the article.
MODIFIERS = re.compile(
    r"--[\w-]*|(?:has|with|without|no|is|show)[-_][\w-]+|tabs?[-_]menu|[\w-]*embed[\w-]*"
)
# After the cheap XPath test, the style is read properly ("border:none" is not hidden).
_HIDDEN = etree.XPath("//*[@hidden or contains(@style, 'none')]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_PROTECTED = frozenset({"html", "body", "article", "main"})
# A class that names the article body protects the element whatever else it says
# ("l-sidebar-fixed l-article-body-segment").
_BODY_NAMES = re.compile(
    r"article-?body|article-?content|article-?text|entry-content|post-?content|post-?body|"
    r"story-?body|story-?content|main-?content|articlebody"
)
# A furniture-named element holding more of the page's text than this is a wrapper.
MAX_FURNITURE_SHARE = 0.25
# ...unless this share of its text is link text: then it is a menu or a list of links.
MIN_MENU_LINK_SHARE = 0.7


def _visible_chars(element: HtmlElement) -> int:
    return len("".join(element.text_content().split()))


def _link_chars(element: HtmlElement) -> int:
    return sum(_visible_chars(a) for a in element.iter("a"))


def drop(element: HtmlElement) -> None:
    """Remove element but keep its tail text, which belongs to the parent."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + tail
        else:
            previous.tail = (previous.tail or "") + tail
    parent.remove(element)


def drop_non_content(root: HtmlElement) -> None:
    """Element kinds that never hold article text, and hidden elements (sites hide
    duplicate copies of the text for other layouts)."""
    # A list first: unwrapping replaces elements, which a live iterator would trip on.
    for script in list(root.iter("script")):
        if _is_html_template(script):
            _unwrap_template(script)
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    for element in _HIDDEN(root):
        style = element.get("style")
        if style is None or _HIDDEN_STYLE.search(style):
            drop(element)
    forms = list(root.iter("form"))
    if forms:
        total = len(root.text_content())
        for form in forms:
            # ASP.NET pages wrap the whole document in one form: that one is a layout
            # wrapper; search boxes and sign-up forms hold little text.
            if len(form.text_content()) > total / 2:
                form.tag = "div"
            else:
                drop(form)


def _is_html_template(script: HtmlElement) -> bool:
    """Blogger and a few CMSs ship the post body as HTML inside a template script."""
    kind = (script.get("type") or "").strip().lower()
    return kind in ("text/template", "text/html", "text/x-template") and "<p" in (script.text or "")


def _unwrap_template(script: HtmlElement) -> None:
    try:
        parts = fragments_fromstring(script.text or "")
    except (etree.ParserError, ValueError):
        return
    holder = script.makeelement("div", {})
    for part in parts:
        if isinstance(part, str):
            holder.text = (holder.text or "") + part
        else:
            holder.append(part)
    holder.tail = script.tail
    parent = script.getparent()
    if parent is not None:
        parent.replace(script, holder)


def drop_furniture(root: HtmlElement, total_chars: int, cues: CueIndex) -> bool:
    """Drop furniture named by class or id; return whether paywall markup was seen
    (a by-product of the same index, for walls.py)."""
    candidates = [
        element
        for element, cue in cues.named(_FURNITURE)
        if element.tag not in _PROTECTED
        and element.getroottree().getroot() is root
        and _FURNITURE.search(MODIFIERS.sub(" ", cue))
        and not _BODY_NAMES.search(cue)
    ]
    dropped: set[HtmlElement] = set()
    limit = MAX_FURNITURE_SHARE * max(total_chars, 1)
    for element in candidates:
        if dropped and any(a in dropped for a in element.iterancestors()):
            continue
        size = len(element.text_content())
        # A big menu is still a menu: mostly link text gives it away.
        if size < limit or _link_chars(element) > MIN_MENU_LINK_SHARE * _visible_chars(element):
            drop(element)
            dropped.add(element)
    return bool(cues.named(PAYWALL_MARKUP))
