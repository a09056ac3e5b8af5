"""HTML pages of a site: the homepage and article pages, in the site's template
(WordPress/Newspaper, modern <article> with JSON-LD, or an old table layout)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import jinja2
import orjson

from worldwire.sim.feeds import DISCOVERY_TYPES, iso
from worldwire.sim.items import Item
from worldwire.sim.sites import Site

TEMPLATES = Path(__file__).resolve().parent / "templates"


class Pages:
    def __init__(self) -> None:
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def home(self, site: Site, items: Sequence[Item]) -> bytes:
        return self._render(
            f"{site.template}_home.html",
            site,
            items=items,
            related=items[:5],
            dates=[_human(i.claimed) for i in items],
        )

    def article(self, site: Site, item: Item, related: Sequence[Item]) -> bytes:
        return self._render(
            f"{site.template}_article.html",
            site,
            item=item,
            related=related,
            published_iso=iso(item.claimed),
            published_human=_human(item.claimed),
            author_slug=item.author.lower().replace(" ", "-"),
            views=100 + item.seq * 7 % 900,
            json_ld=_json_ld(site, item),
        )

    def _render(self, name: str, site: Site, **context: object) -> bytes:
        now = time.time()
        return (
            self._env.get_template(name)
            .render(
                site=site,
                feed_type=DISCOVERY_TYPES.get(site.kind),
                year=time.gmtime(now).tm_year,
                today=time.strftime("%A, %d %B %Y", time.gmtime(now)),
                **context,
            )
            .encode()
        )


def robots(site: Site) -> bytes:
    lines = ["User-agent: *", "Disallow: /wp-admin/", ""]
    if site.kind == "sitemap":
        lines.insert(2, f"Sitemap: {site.feed_url}")
    return "\n".join(lines).encode()


def _human(ts: float) -> str:
    return time.strftime("%B %d, %Y %H:%M UTC", time.gmtime(ts))


def _json_ld(site: Site, item: Item) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.title,
        "description": item.summary,
        "datePublished": iso(item.claimed),
        "dateModified": iso(item.claimed),
        "inLanguage": item.lang,
        "mainEntityOfPage": item.url,
        "author": {"@type": "Person", "name": item.author},
        "publisher": {"@type": "Organization", "name": site.name, "url": site.url},
    }
    # "</" inside a <script> would end it early.
    return orjson.dumps(data).decode().replace("</", "<\\/")
