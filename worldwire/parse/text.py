"""Feed HTML to plain text, fast: feeds carry summaries in HTML, readers get text."""

from __future__ import annotations

import html
import re

_BLOCK = re.compile(r"(?i)<\s*(?:br|/p|/div|/li|/h[1-6]|/blockquote|/tr|p|li)\b[^>]*>")
_DROP = re.compile(r"(?is)<\s*(script|style|noscript|template)\b.*?<\s*/\s*\1\s*>")
_TAG = re.compile(r"(?s)<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def html_to_text(markup: str) -> str:
    """Tags dropped, entities decoded, paragraphs kept as blank-line breaks."""
    if not markup:
        return ""
    if "<" not in markup and "&" not in markup:
        return _SPACES.sub(" ", markup).strip()
    text = _DROP.sub(" ", markup)
    text = _BLOCK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    text = _SPACES.sub(" ", text)
    paragraphs = [p.strip() for p in _NEWLINES.split(text)]
    return "\n\n".join(p for p in paragraphs if p)


def first_image(markup: str) -> str:
    match = re.search(r"""(?i)<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", markup or "")
    return html.unescape(match.group(1)) if match else ""
