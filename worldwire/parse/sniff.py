"""What a body is before we parse it: refuse hostile XML, recognise HTML and JSON."""

from __future__ import annotations

import re

from worldwire.errors import ParseError

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_HTML_START = re.compile(rb"(?is)^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html\b|<head\b|<body\b)")
_DOCTYPE_SUBSET = re.compile(rb"(?s)<!DOCTYPE[^>\[]*\[(.*?)\]\s*>")


def as_utf8_view(body: bytes) -> bytes:
    """The body in an ASCII-compatible encoding, for sniffing only."""
    for bom, encoding in _BOMS[1:]:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace").encode("utf-8")
    return body[3:] if body.startswith(_BOMS[0][0]) else body


def sniff(body: bytes, url: str = "") -> str:
    """Return "json", "xml" or raise ParseError for what cannot be a feed."""
    view = as_utf8_view(body).lstrip()
    if not view:
        raise ParseError("empty body: the server sent no feed", url=url)
    if view[:1] in (b"{", b"["):
        return "json"
    if _HTML_START.match(view[:4096]):
        raise ParseError("the server sent an HTML page, not a feed", url=url)
    if not view.startswith(b"<"):
        raise ParseError("not a feed: the body is neither XML nor JSON", url=url)
    refuse_entity_declarations(view, url)
    return "xml"


def refuse_entity_declarations(view: bytes, url: str = "") -> None:
    """defusedxml's rule: no entity declarations at all. A DTD internal subset that
    declares entities is how billion-laughs and external-entity attacks start."""
    head_end = view.find(b"<!DOCTYPE")
    if head_end < 0:
        return
    match = _DOCTYPE_SUBSET.search(view, head_end)
    if match and b"<!ENTITY" in match.group(1):
        raise ParseError("refused: the feed declares XML entities in its DTD", url=url)
