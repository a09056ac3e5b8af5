"""HTML from the outside world, made safe to show, and plain text for summaries.

sanitize_html is an nh3 (ammonia) allow-list, applied last, to any HTML a reader sees.
Scripts, styles, forms, SVG, MathML and frames go with their content; links keep only
http, https and mailto targets, become absolute against the page they came from, and
carry rel="noopener noreferrer nofollow ugc".
"""

from __future__ import annotations

import html as htmllib
import re

import nh3

LINK_REL = "noopener noreferrer nofollow ugc"
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Dropped together with everything inside them.
_REMOVED_WITH_CONTENT = frozenset(
    {
        "script", "style", "form", "svg", "math", "iframe", "frame", "frameset", "object",
        "embed", "noscript", "template", "textarea", "select", "button", "head", "title",
    }
)  # fmt: skip
_TAGS = frozenset(nh3.ALLOWED_TAGS) - _REMOVED_WITH_CONTENT - {"map", "area"}
_BLOCK_BOUNDARY = re.compile(
    r"<(?:br|hr|/?(?:p|div|li|ul|ol|dl|dd|dt|h[1-6]|tr|td|th|table|blockquote|section|"
    r"article|header|footer|pre|figure|figcaption|address|main|aside|nav))\b[^>]*>",
    re.I,
)
_SPACE = re.compile(r"\s+")


def sanitize_html(html: str, base_url: str = "") -> str:
    """Allow-listed HTML. Relative links resolve against base_url; without one they are
    dropped, since they would point into WorldWire itself."""
    if base_url:
        return nh3.clean(
            html,
            tags=set(_TAGS),
            clean_content_tags=set(_REMOVED_WITH_CONTENT),
            url_schemes=set(URL_SCHEMES),
            link_rel=LINK_REL,
            url_relative=("rewrite_with_base", base_url),
        )
    return nh3.clean(
        html,
        tags=set(_TAGS),
        clean_content_tags=set(_REMOVED_WITH_CONTENT),
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        url_relative="deny",
    )


def plain_text(html: str) -> str:
    """The text of an HTML fragment: no tags, entities decoded, whitespace collapsed,
    and a space wherever a block ended so that words do not run together."""
    spaced = _BLOCK_BOUNDARY.sub(" ", html)
    stripped = nh3.clean(spaced, tags=set(), clean_content_tags=set(_REMOVED_WITH_CONTENT))
    return _SPACE.sub(" ", htmllib.unescape(stripped)).strip()
