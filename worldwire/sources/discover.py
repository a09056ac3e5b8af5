"""Feed autodiscovery: from a homepage URL to its feed, through
`<link rel="alternate">` and then the paths feeds commonly live at."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from worldwire.errors import FetchError, ParseError, WorldWireError
from worldwire.fetch import HTML_ACCEPT, Fetcher
from worldwire.model import ParsedFeed, SourceSpec
from worldwire.parse import parse_feed

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
    "application/rdf+xml": "rdf",
    "application/xml": "rss",
    "text/xml": "rss",
}
COMMON_PATHS = (
    "/feed",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
    "/feeds/all.atom.xml",
    "/rss/index.xml",
    "/?feed=rss2",
    "/news/rss.xml",
    "/sitemap_news.xml",
    "/news-sitemap.xml",
)


@dataclass(slots=True)
class Candidate:
    url: str
    title: str = ""
    kind: str = "rss"


class _LinkFinder(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found: list[Candidate] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and a.get("href"):
            self.base = urljoin(self.base, a["href"])
        elif tag == "link" and "alternate" in a.get("rel", "").lower().split():
            kind = FEED_TYPES.get(a.get("type", "").lower().split(";")[0].strip())
            if kind and a.get("href"):
                self.found.append(
                    Candidate(urljoin(self.base, a["href"]), a.get("title", ""), kind)
                )
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title and not self.title:
            self.title = data.strip()


def find_links(html: str, base: str) -> tuple[list[Candidate], str]:
    """Feed links a page advertises, and its title."""
    finder = _LinkFinder(base)
    finder.feed(html[: 512 * 1024])  # feed links live in <head>
    return finder.found, finder.title


async def discover(fetcher: Fetcher, url: str) -> tuple[SourceSpec, ParsedFeed]:
    """Find the feed for `url` (a feed itself or a homepage) and describe it."""
    page = await fetcher.get(url, accept=HTML_ACCEPT + ", application/rss+xml;q=0.9")
    try:
        feed = parse_feed(page.body, page.url)
        return _spec(page.url, feed, homepage=feed.homepage), feed
    except ParseError:
        pass
    html = page.body.decode("utf-8", errors="replace")
    links, page_title = find_links(html, page.url)
    root = f"{urlsplit(page.url).scheme}://{urlsplit(page.url).netloc}"
    tried: list[str] = []
    for candidate in [*links, *(Candidate(urljoin(root, p)) for p in COMMON_PATHS)]:
        if candidate.url in tried:
            continue
        tried.append(candidate.url)
        try:
            result = await fetcher.get(candidate.url)
            feed = parse_feed(result.body, result.url)
        except (FetchError, ParseError):
            continue
        spec = _spec(result.url, feed, homepage=page.url)
        spec.name = feed.title or candidate.title or page_title or spec.name
        return spec, feed
    raise WorldWireError(f"no feed found at {url} (tried {len(tried)} places)")


def _spec(feed_url: str, feed: ParsedFeed, homepage: str) -> SourceSpec:
    return SourceSpec(
        name=feed.title or urlsplit(feed_url).netloc,
        feed_url=feed_url,
        homepage=homepage,
        languages=(feed.language,) if feed.language else (),
        kind=feed.kind,
    )
