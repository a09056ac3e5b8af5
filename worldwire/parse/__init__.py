"""Feeds in, entries out: RSS 0.9x/1.0/2.0, RDF, Atom 0.3/1.0, JSON Feed 1.0/1.1 and
Google News sitemaps, normalised into model.Entry. A broken feed raises ParseError
with a clear message; a damaged but readable one comes back with warnings."""

from __future__ import annotations

import hashlib
import time

from worldwire.model import Entry, ParsedFeed
from worldwire.parse.dates import parse_date, plausible
from worldwire.parse.jsonfeed import parse_json_feed
from worldwire.parse.raw import RawEntry, RawFeed
from worldwire.parse.sitemap import is_news_sitemap, parse_sitemap
from worldwire.parse.sniff import as_utf8_view, sniff
from worldwire.parse.text import first_image, html_to_text
from worldwire.parse.urls import canonicalize
from worldwire.parse.xmlfeeds import parse_xml_feed

__all__ = ["canonicalize", "normalise", "parse_feed"]

# A feed whose content holds this much text carries the article itself.
FULL_TEXT_CHARS = 1200


def parse_feed(body: bytes, url: str = "", now: float | None = None) -> ParsedFeed:
    """Parse any supported feed format from bytes we fetched ourselves."""
    if sniff(body, url) == "json":
        raw = parse_json_feed(body, url)
    elif is_news_sitemap(as_utf8_view(body).lstrip()):
        raw = parse_sitemap(body, url)
    else:
        raw = parse_xml_feed(body, url)
    return normalise(raw, url, time.time() if now is None else now)


def normalise(raw: RawFeed, url: str, now: float) -> ParsedFeed:
    # Relative article links are relative to the site, which the channel names;
    # the feed's own URL is the fallback (feeds often live on another host).
    base = raw.homepage if raw.homepage.startswith(("http://", "https://")) else url
    feed = ParsedFeed(
        kind=raw.kind,
        title=html_to_text(raw.title),
        homepage=canonicalize(raw.homepage, url),
        language=_lang(raw.language),
        ttl=raw.ttl,
        hubs=raw.hubs,
        self_url=raw.self_url,
        warnings=list(raw.warnings),
    )
    seen: set[str] = set()
    for item in raw.entries:
        entry = _entry(item, base, now, feed.warnings)
        if entry is None:
            continue
        if entry.key in seen:
            feed.warnings.append(f"duplicate entry id {entry.key!r}: kept the first")
            continue
        seen.add(entry.key)
        entry.language = entry.language or feed.language
        feed.entries.append(entry)
    return feed


def has_full_text(feed: ParsedFeed) -> bool:
    """Whether this feed's entries carry whole articles, so pages need not be fetched."""
    if not feed.entries:
        return False
    full = sum(1 for e in feed.entries if len(e.content) >= FULL_TEXT_CHARS)
    return full * 2 >= len(feed.entries)


def _entry(item: RawEntry, base: str, now: float, warnings: list[str]) -> Entry | None:
    link = canonicalize(item.link, base)
    guid = item.guid.strip()
    if guid == item.link.strip():  # some readers fill a missing guid with the raw link
        guid = link
    if not link and guid.startswith(("http://", "https://")):
        link = canonicalize(guid, base)
    title = html_to_text(item.title)
    published, why = plausible(parse_date(item.published), now)
    if why:
        warnings.append(f"{why}: {item.published!r} in {title[:60]!r}")
    updated, _ = plausible(parse_date(item.updated), now)
    # RSS 1.0's dc:date is "published" to one reader and "updated" to another; an
    # entry with one date is published then, and "updated" means a later change.
    if published is None and not why:
        published, updated = updated, None
    if updated == published:
        updated = None
    if not (guid or link or title):
        warnings.append("an entry with no id, link or title was skipped")
        return None
    content = html_to_text(item.content_html)
    return Entry(
        key=guid or link or _hash_key(title, item.published),
        url=link,
        title=title,
        guid=guid,
        published=published,
        updated=updated,
        author=html_to_text(item.author),
        summary=html_to_text(item.summary_html),
        content=content,
        categories=tuple(c.strip() for c in item.categories if c and c.strip()),
        image=canonicalize(item.image or first_image(item.content_html or item.summary_html), base),
        language=_lang(item.language),
    )


def _hash_key(title: str, published: object) -> str:
    digest = hashlib.sha1(f"{title}\x00{published}".encode(), usedforsecurity=False)
    return "sha1:" + digest.hexdigest()


def _lang(code: str) -> str:
    """ "en-US" -> "en": WorldWire speaks ISO 639-1."""
    return code.strip().replace("_", "-").split("-")[0].lower()[:3] if code else ""
