"""Where a source's hub is, and which topic to subscribe to (WebSub §4).

HTTP `Link` headers come first; the feed's own links (`<atom:link rel="hub">`, RSS
`<link rel="hub">`, JSON Feed `hubs`, read by the parser) are the fallback. The
topic is the `self` URL, else the URL the feed was fetched from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from worldwire.model import ParsedFeed

# One link-value: <uri> followed by ;-separated parameters (RFC 8288).
_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,<]+(?:=(?:\"[^\"]*\"|[^;,<]*))?)*)")
_PARAM = re.compile(r";\s*([^=;\s]+)\s*(?:=\s*(\"[^\"]*\"|[^;,]*))?")


@dataclass(frozen=True, slots=True)
class Discovery:
    hub: str
    topic: str


def links(header: str, base: str = "") -> dict[str, list[str]]:
    """The URLs of a Link header by relation: {"hub": [...], "self": [...]}."""
    found: dict[str, list[str]] = {}
    for match in _LINK.finditer(header):
        target, params = match.group(1).strip(), match.group(2)
        for name, value in _PARAM.findall(params):
            if name.lower() != "rel":
                continue
            for rel in value.strip('"').lower().split():
                found.setdefault(rel, []).append(urljoin(base, target) if base else target)
    return found


def discover(feed: ParsedFeed, headers: dict[str, str], fetched_url: str) -> Discovery | None:
    """The hub and topic a fetched feed advertises, or None when it names no hub."""
    by_rel = links(headers.get("link", ""), fetched_url)
    hubs = [h for h in by_rel.get("hub", []) if _http(h)]
    selves = [s for s in by_rel.get("self", []) if _http(s)]
    if not hubs:
        hubs = [urljoin(fetched_url, h) for h in feed.hubs if _http(urljoin(fetched_url, h))]
        selves = selves or ([urljoin(fetched_url, feed.self_url)] if feed.self_url else [])
    if not hubs:
        return None
    topic = next((s for s in selves if _http(s)), fetched_url)
    return Discovery(hubs[0], topic)


def _http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)
