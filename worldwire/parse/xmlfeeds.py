"""RSS 0.9x/1.0/2.0, RDF and Atom 0.3/1.0: fastfeedparser on the hot path, feedparser
for what it cannot read. Both are normalised into the same RawFeed."""

from __future__ import annotations

import pyexpat
import re
from typing import Any

import fastfeedparser
import feedparser

from worldwire.errors import ParseError
from worldwire.parse.raw import RawEntry, RawFeed

_HEAD_END = re.compile(rb"<(?:item|entry)[\s>]")
_ROOT = re.compile(rb"<(rss|feed|rdf:RDF|RDF)[\s>]")
_ROOT_KINDS = {b"rss": "rss", b"feed": "atom", b"rdf:RDF": "rdf", b"RDF": "rdf"}
_TTL = re.compile(rb"<ttl>\s*(\d{1,6})\s*</ttl>")
_LANGUAGE = re.compile(rb"<(?:dc:)?language>\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\s*</")
_XML_LANG = re.compile(rb"""<(?:feed|rss|channel|rdf:RDF)\b[^>]*\bxml:lang=["']([A-Za-z-]+)""")
_LINK_TAG = re.compile(rb"<(?:atom:|atom10:)?link\b[^>]*>")
_ATTR = re.compile(rb"""\b(rel|href)\s*=\s*["']([^"']*)["']""")


def parse_xml_feed(body: bytes, url: str = "") -> RawFeed:
    problem = _fast_path_problem(body)
    if problem is None:
        try:
            feed = _from_fastfeedparser(fastfeedparser.parse(body))
        except Exception as fast_error:  # any failure sends us to the fallback
            feed = _from_feedparser(body, url, fast_error)
    else:
        feed = _recover(body, url, problem)
    _read_head(body, feed)
    return feed


def _fast_path_problem(body: bytes) -> str | None:
    """Why fastfeedparser must not read this feed alone, or None.

    fastfeedparser repairs broken XML silently, and can drop entries doing it (an
    unescaped "&" cost one in our tests); a strict expat pass (a third of its cost)
    tells us when to compare with feedparser instead. It also keeps only the first
    Atom author, so entries with co-authors go to feedparser too."""
    parser = pyexpat.ParserCreate()
    try:
        parser.Parse(body, True)
    except pyexpat.ExpatError as exc:
        return f"malformed XML ({pyexpat.ErrorString(exc.code)}, line {exc.lineno})"
    except (LookupError, ValueError) as exc:  # an encoding expat cannot read
        return f"encoding not readable by expat ({exc})"
    first = body.find(b"<entry")
    if first >= 0 and body.count(b"<author", first) > body.count(b"<entry", first):
        return "entries with several authors"
    return None


def _recover(body: bytes, url: str, problem: str) -> RawFeed:
    """Read with both parsers and keep the one that recovered more entries."""
    try:
        slow: RawFeed | None = _from_feedparser(body, url, None)
    except ParseError:
        slow = None
    try:
        fast: RawFeed | None = _from_fastfeedparser(fastfeedparser.parse(body))
    except Exception:  # fastfeedparser gave up as well
        fast = None
    candidates = [f for f in (slow, fast) if f is not None and f.entries]
    if not candidates:
        raise ParseError(f"malformed feed: {problem}", url=url)
    best = max(candidates, key=lambda f: len(f.entries))  # feedparser wins ties
    if problem.startswith(("malformed", "encoding")):
        best.warnings.insert(0, f"{problem}: read in recovery mode")
    return best


def parse_with_feedparser(body: bytes, url: str = "") -> RawFeed:
    """The fallback on its own, for tests that compare the two readers."""
    feed = _from_feedparser(body, url, None)
    _read_head(body, feed)
    return feed


def _read_head(body: bytes, feed: RawFeed) -> None:
    """Channel-level fields fastfeedparser does not expose: format, ttl, language,
    hubs and self link."""
    match = _HEAD_END.search(body)
    head = body[: match.start()] if match else body[:65536]
    if root := _ROOT.search(head):
        feed.kind = _ROOT_KINDS[root.group(1)]
    if m := _TTL.search(head):
        feed.ttl = float(m.group(1)) * 60.0
    if not feed.language and (m := _LANGUAGE.search(head) or _XML_LANG.search(head)):
        feed.language = m.group(1).decode("ascii")
    hubs = list(feed.hubs)
    for tag in _LINK_TAG.findall(head):
        attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(tag)}
        rel, href = attrs.get("rel", ""), attrs.get("href", "")
        if rel == "hub" and href and href not in hubs:
            hubs.append(href)
        elif rel == "self" and href and not feed.self_url:
            feed.self_url = href
    feed.hubs = tuple(hubs)


def _kind_of(version: str) -> str:
    if version.startswith("atom"):
        return "atom"
    if version in ("rss090", "rss10"):
        return "rdf"
    return "rss"


def _from_fastfeedparser(parsed: Any) -> RawFeed:
    meta = parsed.get("feed", {})
    feed = RawFeed(
        kind="rss",
        title=meta.get("title") or "",
        homepage=meta.get("link") or "",
        language=meta.get("language") or "",
    )
    for e in parsed.get("entries", []):
        feed.entries.append(_raw_entry(e, e.get("published"), e.get("updated")))
    return feed


def _from_feedparser(body: bytes, url: str, first_error: Exception | None) -> RawFeed:
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        reason = parsed.get("bozo_exception") or first_error
        raise ParseError(f"malformed feed: {reason}", url=url)
    if not parsed.entries and not parsed.feed.get("title") and not parsed.version:
        raise ParseError("not a feed: no channel or entries found", url=url)
    meta = parsed.feed
    feed = RawFeed(
        kind=_kind_of(parsed.version or ""),
        title=meta.get("title", ""),
        homepage=meta.get("link", ""),
        language=meta.get("language", ""),
    )
    for e in parsed.entries:
        # dict.get: FeedParserDict.get maps missing "updated" keys to "published"
        # with a DeprecationWarning; we want exactly what the feed said.
        published = dict.get(e, "published_parsed") or dict.get(e, "published")
        updated = dict.get(e, "updated_parsed") or dict.get(e, "updated")
        feed.entries.append(_raw_entry(e, published, updated))
    return feed


def _raw_entry(e: Any, published: object, updated: object) -> RawEntry:
    content = e.get("content") or []
    content_html = max((c.get("value") or "" for c in content), key=len, default="")
    summary = e.get("summary") or e.get("description") or ""
    return RawEntry(
        guid=(e.get("id") or "").strip(),
        link=(e.get("link") or "").strip(),
        title=e.get("title") or "",
        published=published,
        updated=updated,
        author=_authors(e),
        summary_html=summary,
        content_html=content_html if content_html != summary else "",
        categories=tuple(t.get("term") or t.get("label") or "" for t in e.get("tags") or []),
        image=_image(e),
        language=e.get("language") or "",
    )


def _authors(e: Any) -> str:
    names = [a.get("name", "") for a in e.get("authors") or [] if isinstance(a, dict)]
    names = [n.strip() for n in names if n and n.strip()]
    return "; ".join(names) if names else (e.get("author") or "").strip()


def _image(e: Any) -> str:
    for key in ("media_content", "media_thumbnail"):
        for media in e.get(key) or []:
            medium = media.get("medium") or media.get("type") or "image"
            if media.get("url") and "image" in medium:
                return str(media["url"])
    for enclosure in e.get("enclosures") or []:
        if (enclosure.get("type") or "").startswith("image/") and enclosure.get(
            "href", enclosure.get("url")
        ):
            return str(enclosure.get("href") or enclosure.get("url"))
    for link in e.get("links") or []:
        if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("image/"):
            return str(link.get("href", ""))
    return ""
