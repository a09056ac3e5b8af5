"""From untrusted bytes to an lxml tree: pick the encoding, cap the size, parse once.

Hostile input never raises here: every problem becomes a warning and, at worst, an
empty tree.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

# Pages beyond this are cut: no real article needs more, and a pathological page must not
# hold a worker for seconds.
MAX_HTML_CHARS = 4 * 1024 * 1024

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Browsers treat these labels as their Windows supersets (WHATWG encoding standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252"}


def _parser() -> etree.HTMLParser:
    parser = etree.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, collect_ids=False
    )
    # lxml.html's default lookup calls back into Python for every element it wraps; a
    # fixed class keeps the HtmlElement API (text_content) at C speed.
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=HtmlComment,
            pi=HtmlProcessingInstruction,
            entity=HtmlEntity,
        )
    )
    return parser


_PARSER = _parser()


def _declared_charset(head: bytes) -> str:
    match = _META_CHARSET.search(head)
    if not match:
        return ""
    label = match.group(1).decode("ascii", "replace").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return ""
    return _ALIASES.get(label, _ALIASES.get(name, name))


def decode_html(data: bytes | str) -> tuple[str, list[str]]:
    """The page as text, and what was wrong with it. UTF-8 wins when the bytes are
    valid UTF-8 (pages often declare Latin-1 and send UTF-8); then the declared charset;
    then a statistical guess; then UTF-8 with replacement characters."""
    warnings: list[str] = []
    text = data if isinstance(data, str) else _decode_bytes(data, warnings)
    if len(text) > MAX_HTML_CHARS:
        warnings.append(f"page truncated to {MAX_HTML_CHARS} characters")
        text = text[:MAX_HTML_CHARS]
    if "\x00" in text:
        warnings.append("NUL characters removed")
        text = text.replace("\x00", "")
    if not text.strip():
        warnings.append("empty document")
    return text, warnings


def _decode_bytes(data: bytes, warnings: list[str]) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data[:4096])
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            warnings.append(f"declared charset {declared} does not fit the bytes")
    guess = charset_normalizer.from_bytes(data[:200_000]).best()
    if guess is not None and guess.encoding:
        if declared == "utf-8" or not declared:
            warnings.append(f"encoding guessed as {guess.encoding}")
        return data.decode(guess.encoding, "replace")
    warnings.append("undecodable bytes replaced")
    return data.decode("utf-8", "replace")


def parse_html(text: str) -> HtmlElement | None:
    """The document tree, or None when there is nothing to parse."""
    if not text.strip():
        return None
    # lxml refuses str input that carries an encoding declaration (XHTML pages).
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError):
        return None
    if root is None or not isinstance(root, HtmlElement):
        return None
    return root
