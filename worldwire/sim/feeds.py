"""Feed documents in five formats: RSS 2.0, Atom 1.0, JSON Feed 1.1, RSS 1.0 (RDF) and
a Google News sitemap.

A feed is rendered from per-item fragments, each rendered once when the item is
published, so that regenerating a site's feed after a publish is a join.
"""

from __future__ import annotations

import email.utils
from collections.abc import Sequence
from datetime import UTC, datetime

import orjson

from worldwire.sim.items import Item
from worldwire.sim.sites import Site

CONTENT_TYPES = {
    "rss2": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "jsonfeed": "application/feed+json; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
    "sitemap": "application/xml; charset=utf-8",
}
# What a homepage's <link rel="alternate"> says, for autodiscovery (RDF is usually
# announced as RSS, and that is what readers look for).
DISCOVERY_TYPES = {
    "rss2": "application/rss+xml",
    "atom": "application/atom+xml",
    "jsonfeed": "application/feed+json",
    "rdf": "application/rss+xml",
}
_NS_RSS = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"'
)


def esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def rfc822(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def body_html(item: Item) -> str:
    return "".join(f"<p>{esc(p)}</p>" for p in item.paragraphs)


def entry(site: Site, item: Item) -> bytes:
    """The item's fragment in the site's format, rendered once."""
    if not item.fragment:
        item.fragment = _ENTRIES[site.kind](site, item).encode()
    return item.fragment


def document(site: Site, items: Sequence[Item], *, ttl_minutes: int | None = None) -> bytes:
    """The whole feed, newest entry first."""
    fragments = [entry(site, item) for item in items]
    if site.kind == "jsonfeed":
        return _jsonfeed(site, fragments)
    updated = max((item.claimed for item in items), default=0.0)
    head, tail = _FRAMES[site.kind](site, items, updated, ttl_minutes)
    return head.encode() + b"".join(fragments) + tail.encode()


def _hub_links(site: Site, prefix: str) -> str:
    if site.hub_url is None:
        return ""
    return f'<{prefix}link rel="hub" href="{esc(site.hub_url)}"/>'


def _rss2_entry(site: Site, item: Item) -> str:
    description = esc(item.summary)
    if site.template == "wordpress":
        description += esc(
            f'<p>The post <a href="{item.url}">{esc(item.title)}</a> appeared first on '
            f'<a href="{site.url}">{esc(site.name)}</a>.</p>'
        )
    content = f"<content:encoded>{esc(body_html(item))}</content:encoded>" if site.fulltext else ""
    permalink = "false" if site.template == "wordpress" else "true"
    return (
        f"<item><title>{esc(item.title)}</title><link>{esc(item.url)}</link>"
        f'<guid isPermaLink="{permalink}">{esc(item.guid)}</guid>'
        f"<pubDate>{rfc822(item.claimed)}</pubDate><dc:creator>{esc(item.author)}</dc:creator>"
        f"<description>{description}</description>{content}</item>\n"
    )


def _rss2_frame(
    site: Site, items: Sequence[Item], updated: float, ttl: int | None
) -> tuple[str, str]:
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" {_NS_RSS}>\n<channel>\n'
        f"<title>{esc(site.name)}</title><link>{esc(site.url)}</link>"
        f"<description>News from {esc(site.city)}</description><language>{site.lang}</language>"
        f"<lastBuildDate>{rfc822(updated)}</lastBuildDate>"
        + (f"<ttl>{ttl}</ttl>" if ttl else "")
        + f'<atom:link href="{esc(site.feed_url)}" rel="self" type="application/rss+xml"/>'
        + _hub_links(site, "atom:")
        + "\n"
    )
    return head, "</channel>\n</rss>\n"


def _atom_entry(site: Site, item: Item) -> str:
    content = f'<content type="html">{esc(body_html(item))}</content>' if site.fulltext else ""
    return (
        f"<entry><title>{esc(item.title)}</title>"
        f'<link rel="alternate" type="text/html" href="{esc(item.url)}"/>'
        f"<id>{esc(item.guid)}</id><published>{iso(item.claimed)}</published>"
        f"<updated>{iso(item.claimed)}</updated><author><name>{esc(item.author)}</name></author>"
        f'<summary type="text">{esc(item.summary)}</summary>{content}</entry>\n'
    )


def _atom_frame(
    site: Site, items: Sequence[Item], updated: float, ttl: int | None
) -> tuple[str, str]:
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{site.lang}">\n'
        f"<title>{esc(site.name)}</title><id>{esc(site.url)}</id><updated>{iso(updated)}</updated>"
        f'<link rel="alternate" type="text/html" href="{esc(site.url)}"/>'
        f'<link rel="self" type="application/atom+xml" href="{esc(site.feed_url)}"/>'
        + _hub_links(site, "")
        + "\n"
    )
    return head, "</feed>\n"


def _rdf_entry(site: Site, item: Item) -> str:
    content = f"<content:encoded>{esc(body_html(item))}</content:encoded>" if site.fulltext else ""
    return (
        f'<item rdf:about="{esc(item.url)}"><title>{esc(item.title)}</title>'
        f"<link>{esc(item.url)}</link><description>{esc(item.summary)}</description>"
        f"<dc:date>{iso(item.claimed)}</dc:date><dc:creator>{esc(item.author)}</dc:creator>"
        f"<dc:language>{item.lang}</dc:language>{content}</item>\n"
    )


def _rdf_frame(
    site: Site, items: Sequence[Item], updated: float, ttl: int | None
) -> tuple[str, str]:
    seq = "".join(f'<rdf:li rdf:resource="{esc(item.url)}"/>' for item in items)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns="http://purl.org/rss/1.0/" {_NS_RSS}>\n'
        f'<channel rdf:about="{esc(site.feed_url)}"><title>{esc(site.name)}</title>'
        f"<link>{esc(site.url)}</link><description>News from {esc(site.city)}</description>"
        f"<dc:language>{site.lang}</dc:language><dc:date>{iso(updated)}</dc:date>"
        f'<atom:link href="{esc(site.feed_url)}" rel="self" type="application/rdf+xml"/>'
        + _hub_links(site, "atom:")
        + f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>\n"
    )
    return head, "</rdf:RDF>\n"


def _sitemap_entry(site: Site, item: Item) -> str:
    return (
        f"<url><loc>{esc(item.url)}</loc><news:news><news:publication>"
        f"<news:name>{esc(site.name)}</news:name><news:language>{item.lang}</news:language>"
        f"</news:publication><news:publication_date>{iso(item.claimed)}</news:publication_date>"
        f"<news:title>{esc(item.title)}</news:title></news:news></url>\n"
    )


def _sitemap_frame(
    site: Site, items: Sequence[Item], updated: float, ttl: int | None
) -> tuple[str, str]:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
    )
    return head, "</urlset>\n"


def _json_entry(site: Site, item: Item) -> str:
    entry: dict[str, object] = {
        "id": item.guid,
        "url": item.url,
        "title": item.title,
        "summary": item.summary,
        "date_published": iso(item.claimed),
        "authors": [{"name": item.author}],
        "language": item.lang,
    }
    if site.fulltext:
        entry["content_html"] = body_html(item)
    else:
        entry["content_text"] = item.summary
    return orjson.dumps(entry).decode()


def _jsonfeed(site: Site, fragments: list[bytes]) -> bytes:
    head: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.name,
        "home_page_url": site.url,
        "feed_url": site.feed_url,
        "language": site.lang,
    }
    if site.hub_url is not None:
        head["hubs"] = [{"type": "WebSub", "url": site.hub_url}]
    return orjson.dumps(head)[:-1] + b',"items":[' + b",".join(fragments) + b"]}\n"


_ENTRIES = {
    "rss2": _rss2_entry,
    "atom": _atom_entry,
    "rdf": _rdf_entry,
    "sitemap": _sitemap_entry,
    "jsonfeed": _json_entry,
}
_FRAMES = {
    "rss2": _rss2_frame,
    "atom": _atom_frame,
    "rdf": _rdf_frame,
    "sitemap": _sitemap_frame,
}
