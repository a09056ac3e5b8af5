"""The world's address list as OPML 2.0.

Each outline has the standard `text`, `title`, `type="rss"`, `xmlUrl`, `htmlUrl`,
`language` and `version` (RSS2, RSS1, atom, jsonfeed or news-sitemap), plus
`country` (ISO 3166 alpha-2), `category="/country/XX,/language/xx"`, `role`
(wire, regular or daily) and, for sites that push, `hub`.
"""

from __future__ import annotations

import email.utils
from collections.abc import Sequence

from worldwire.sim.feeds import esc
from worldwire.sim.sites import Site

_VERSIONS = {
    "rss2": "RSS2",
    "rdf": "RSS1",
    "atom": "atom",
    "jsonfeed": "jsonfeed",
    "sitemap": "news-sitemap",
}


def render(sites: Sequence[Site], title: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"<head><title>{esc(title)}</title>"
        f"<dateCreated>{email.utils.formatdate(usegmt=True)}</dateCreated></head>",
        "<body>",
    ]
    for s in sites:
        attrs = {
            "text": s.name,
            "title": s.name,
            "type": "rss",
            "xmlUrl": s.feed_url,
            "htmlUrl": s.url,
            "language": s.lang,
            "version": _VERSIONS[s.kind],
            "country": s.country,
            "category": f"/country/{s.country},/language/{s.lang}",
            "role": s.role,
        }
        if s.hub_url:
            attrs["hub"] = s.hub_url
        lines.append("<outline " + " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items()) + "/>")
    lines += ["</body>", "</opml>", ""]
    return "\n".join(lines)
