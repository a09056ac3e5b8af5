"""Cheap pruning of obvious page furniture, before any costly extraction.

Whatever is cut here is cut for every later path, and a smaller tree makes the full
extraction faster. So the rules are conservative: whole element kinds that never hold
article text (script, nav, footer, forms...), hidden elements, and elements whose class
or id names them furniture (share bars, cookie banners, newsletter boxes, related lists,
comments, ads) — the last only while they hold a small part of the page's text, so that
a wrapper named "content-with-sidebar" can never take the article with it.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement, fragments_fromstring

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
# Words that name furniture when they stand as a whole token of a class or id.
_FURNITURE = re.compile(
    r"(?:^|[-_ ])(?:share|sharing|sharebar|social|related|newsletter|comments?|cookies?|"
    r"consent|gdpr|advert|advertisement|adverts|ads?|adslot|adunit|dfp|promo|promotion|"
    r"sidebar|breadcrumbs?|popular|most-?read|trending|recommended|recirculation|subscribe|"
    r"signup|outbrain|taboola|disqus|nav|navbar|navigation|menu|skip-?link|print-?only|"
    r"sr-only|visually-?hidden|screen-?reader-?text|tooltip|popover|hovercard|rollover)(?:$|[-_ ])"
)
_NEEDLES = (
    "shar", "social", "relat", "newsletter", "comment", "cookie", "consent", "gdpr", "ad",
    "dfp", "promo", "sidebar", "breadcrumb", "popular", "read", "trending", "recommend",
    "recirc", "subscri", "signup", "outbrain", "taboola", "disqus", "nav", "menu", "skip",
    "print", "only", "hidden", "screen", "tooltip", "popover", "hovercard", "rollover",
)  # fmt: skip
PAYWALL_MARKUP = re.compile(
    r"paywall|pay-wall|regwall|premium-?(?:content|article|teaser|lock)|article-?locked|"
    r"locked-?content|piano-?(?:offer|paywall)|payed-?content|paid-?content"
)
# State modifiers describe the element, they do not name it: "o-section--has-ads",
# "gallery__with-sidebar", "tab-menu" (tabs of content).
_MODIFIERS = re.compile(r"--[\w-]*|(?:has|with|without|no|is|show)[-_][\w-]+|tabs?[-_]menu")
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
    """Element kinds that never hold article text, and hidden elements."""
    for element in list(root.iter(*DROP_TAGS)):
        if element.tag == "script" and _is_html_template(element):
            _unwrap_template(element)
        else:
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
    for element in root.xpath("//*[@hidden or @aria-hidden='true' or @style]"):
        hidden = element.get("hidden") is not None or element.get("aria-hidden") == "true"
        style = (element.get("style") or "").replace(" ", "").lower()
        if hidden or "display:none" in style:
            drop(element)


def _is_html_template(script: HtmlElement) -> bool:
    """Blogger and a few CMSs ship the post body as HTML inside a template script."""
    kind = (script.get("type") or "").strip().lower()
    return kind in ("text/template", "text/html", "text/x-template") and "<p" in (script.text or "")


def _unwrap_template(script: HtmlElement) -> None:
    try:
        parts = fragments_fromstring(script.text or "")
    except (etree.ParserError, ValueError):
        drop(script)
        return
    holder = script.makeelement("div", {})
    for part in parts:
        if isinstance(part, str):
            holder.text = (holder.text or "") + part
        else:
            holder.append(part)
    holder.tail = script.tail
    script.getparent().replace(script, holder)


def drop_furniture(root: HtmlElement, total_chars: int) -> bool:
    """Drop furniture named by class or id; return whether paywall markup was seen
    (a by-product of the same scan, for walls.py)."""
    candidates: list[HtmlElement] = []
    paywall_markup = False
    for element in root.xpath("//*[@class or @id]"):
        if element.tag in _PROTECTED:
            continue
        cue = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if (
            any(needle in cue for needle in _NEEDLES)
            and _FURNITURE.search(_MODIFIERS.sub(" ", cue))
            and not _BODY_NAMES.search(cue)
        ):
            candidates.append(element)
        if not paywall_markup and ("pay" in cue or "premium" in cue or "lock" in cue):
            paywall_markup = bool(PAYWALL_MARKUP.search(cue))
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
    return paywall_markup
