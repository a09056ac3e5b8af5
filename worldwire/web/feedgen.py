"""Output feeds: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for any view, built from story
cards. Pure: cards and URLs in, bytes out.

Each entry is one story. Its link goes out to the outlet that had it first (we link
out and attribute); its id is the story's page here, which lists every outlet."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

import orjson
from markupsafe import escape as html_escape

from worldwire import __version__
from worldwire.timefmt import iso
from worldwire.web import places
from worldwire.web.cards import Card

# XML 1.0 forbids most control characters, lone surrogates and U+FFFE/U+FFFF; a feed
# may carry them, and one of them makes the whole document unreadable.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
GENERATOR = "WorldWire"


@dataclass(frozen=True, slots=True)
class FeedInfo:
    title: str
    description: str
    page_url: str  # absolute
    self_url: str  # absolute
    base_url: str  # absolute, no trailing slash
    hub_url: str = ""  # our WebSub hub, when one runs: advertised so readers get pushes


def clean(text: str) -> str:
    return _INVALID_XML.sub("", text)


def x(text: str) -> str:
    return escape(clean(text))


def attr(text: str) -> str:
    return quoteattr(clean(text))


def rfc822(ts: float) -> str:
    return format_datetime(datetime.fromtimestamp(ts, UTC), usegmt=True)


def story_url(info: FeedInfo, card: Card) -> str:
    return f"{info.base_url}/story/{card.story.id}"


def link(info: FeedInfo, card: Card) -> str:
    """Where an entry points: the first outlet's article, else our story page."""
    return next((o.url for o in card.outlets if o.url), story_url(info, card))


def content_html(info: FeedInfo, card: Card) -> str:
    parts = []
    if card.story.lead:
        parts.append(f"<p>{html_escape(clean(card.story.lead))}</p>")
    outlets = []
    for o in card.outlets:
        name = html_escape(clean(o.name))
        where = f" ({html_escape(o.country)})" if o.country else ""
        outlets.append(f'<a href="{html_escape(o.url)}">{name}</a>{where}' if o.url else name)
    if outlets:
        more = f" and {card.more_outlets} more" if card.more_outlets else ""
        parts.append(f"<p>Reported by {', '.join(outlets)}{more}.</p>")
    parts.append(f'<p><a href="{html_escape(story_url(info, card))}">All coverage</a></p>')
    return "".join(parts)


def updated_at(cards: Sequence[Card]) -> float:
    return max((c.story.last_seen_at for c in cards), default=0.0)


def atom(info: FeedInfo, cards: Sequence[Card]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        '<feed xmlns="http://www.w3.org/2005/Atom">\n',
        f"<title>{x(info.title)}</title>\n",
        f"<subtitle>{x(info.description)}</subtitle>\n",
        f"<id>{x(info.self_url)}</id>\n",
        f'<link rel="self" type="application/atom+xml" href={attr(info.self_url)}/>\n',
        f'<link rel="hub" href={attr(info.hub_url)}/>\n' if info.hub_url else "",
        f'<link rel="alternate" type="text/html" href={attr(info.page_url)}/>\n',
        f"<updated>{iso(updated_at(cards))}</updated>\n",
        f'<generator version="{__version__}">{GENERATOR}</generator>\n',
    ]
    for card in cards:
        story = card.story
        lang = f" xml:lang={attr(card.language)}" if card.language else ""
        out.append(f"<entry{lang}>\n")
        out.append(f"<title>{x(story.headline)}</title>\n")
        out.append(f"<id>{x(story_url(info, card))}</id>\n")
        out.append(f'<link rel="alternate" type="text/html" href={attr(link(info, card))}/>\n')
        out.append(f'<link rel="related" type="text/html" href={attr(story_url(info, card))}/>\n')
        out.append(f"<published>{iso(card.published_at)}</published>\n")
        out.append(f"<updated>{iso(story.last_seen_at)}</updated>\n")
        for o in card.outlets:
            out.append(f"<author><name>{x(o.name)}</name></author>\n")
        if not card.outlets:
            out.append(f"<author><name>{GENERATOR}</name></author>\n")
        for slug in story.topics:
            out.append(f"<category term={attr(slug)} label={attr(places.topic_label(slug))}/>\n")
        if card.lead:
            out.append(f"<summary>{x(card.lead)}</summary>\n")
        out.append(f'<content type="html">{x(content_html(info, card))}</content>\n')
        out.append("</entry>\n")
    out.append("</feed>\n")
    return "".join(out).encode()


def rss(info: FeedInfo, cards: Sequence[Card]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n',
        f"<title>{x(info.title)}</title>\n",
        f"<link>{x(info.page_url)}</link>\n",
        f"<description>{x(info.description)}</description>\n",
        f'<atom:link rel="self" type="application/rss+xml" href={attr(info.self_url)}/>\n',
        f'<atom:link rel="hub" href={attr(info.hub_url)}/>\n' if info.hub_url else "",
        f"<lastBuildDate>{rfc822(updated_at(cards))}</lastBuildDate>\n",
        f"<generator>{GENERATOR} {__version__}</generator>\n",
    ]
    for card in cards:
        story = card.story
        out.append("<item>\n")
        out.append(f"<title>{x(story.headline)}</title>\n")
        out.append(f"<link>{x(link(info, card))}</link>\n")
        out.append(f'<guid isPermaLink="true">{x(story_url(info, card))}</guid>\n')
        out.append(f"<pubDate>{rfc822(card.published_at)}</pubDate>\n")
        for o in card.outlets:
            out.append(f"<dc:creator>{x(o.name)}</dc:creator>\n")
        for slug in story.topics:
            out.append(f"<category>{x(places.topic_label(slug))}</category>\n")
        out.append(f"<description>{x(content_html(info, card))}</description>\n")
        out.append("</item>\n")
    out.append("</channel>\n</rss>\n")
    return "".join(out).encode()


def json_feed(info: FeedInfo, cards: Sequence[Card]) -> bytes:
    items = []
    for card in cards:
        story = card.story
        item: dict[str, object] = {
            "id": story_url(info, card),
            # JSON Feed's link-blog shape: our page is the item, the outlet's is external.
            "url": story_url(info, card),
            "external_url": link(info, card),
            "title": clean(story.headline),
            "content_html": content_html(info, card),
            "summary": clean(card.lead),
            "date_published": iso(card.published_at),
            "date_modified": iso(story.last_seen_at),
            "authors": [{"name": clean(o.name)} for o in card.outlets],
            "tags": [places.topic_label(t) for t in story.topics],
        }
        if card.language:
            item["language"] = card.language
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": clean(info.title),
        "description": clean(info.description),
        "home_page_url": info.page_url,
        "feed_url": info.self_url,
        "items": items,
    }
    if info.hub_url:
        document["hubs"] = [{"type": "WebSub", "url": info.hub_url}]
    return orjson.dumps(document)


BUILDERS = {"atom": atom, "rss": rss, "json": json_feed}
