"""One site over HTTP: its feed (conditional GET, gzip, cache hints, hub links), its
homepage and article pages, and its troubles (slow, flaky, outages, rate limits).

Feed responses are prebuilt per version: a publish bumps the version, and the
next request renders the feed once (a join of cached entry fragments) and keeps
the header blocks, so that a poll is a lookup and a write.
"""

from __future__ import annotations

import email.utils
import gzip
import math
import random
from collections import OrderedDict, deque
from dataclasses import dataclass

from worldwire.sim import feeds, pages
from worldwire.sim.clock import WorldClock
from worldwire.sim.httpserver import Response, simple
from worldwire.sim.items import Item
from worldwire.sim.sites import Site
from worldwire.sim.slugs import slugify

_HTML = "text/html; charset=utf-8"


@dataclass(slots=True)
class _Feed:
    body: bytes
    etag: bytes  # the identity variant's tag, quotes included
    gz_etag: bytes
    last_modified: bytes
    lm_epoch: int
    common: bytes  # the headers both variants share
    gz: bytes | None = None
    ok: bytes = b""  # prebuilt heads: 200 and 304, identity and gzip
    ok_gz: bytes = b""
    not_modified: bytes = b""
    not_modified_gz: bytes = b""


class SiteServer:
    def __init__(
        self,
        site: Site,
        clock: WorldClock,
        renderer: pages.Pages,
        page_cache: OrderedDict[str, bytes],
        *,
        nonce: str,
        feed_items: int,
        archive_items: int,
        rng: random.Random,
    ) -> None:
        self.site = site
        self._clock = clock
        self._pages = renderer
        self._page_cache = page_cache
        self._rng = rng
        self._nonce = nonce
        self.entries: deque[Item] = deque(maxlen=feed_items)  # newest first
        self.archive: deque[Item] = deque(maxlen=archive_items)
        self.by_target: dict[bytes, Item] = {}
        self.version = 0
        self.last_modified = 0
        self._feed: _Feed | None = None
        self._home: bytes | None = None
        self._window_start = 0.0
        self._window_count = 0
        self._ttl = self._ttl_minutes()
        self._slugs: dict[str, int] = {}
        self._feed_path = site.feed_path.encode()

    # --- publishing ---

    def claim_slug(self, title: str) -> str:
        """A slug for an article address, never handed out twice by this site."""
        slug = slugify(title)
        count = self._slugs.get(slug, 0) + 1
        self._slugs[slug] = count
        return slug if count == 1 else f"{slug}-{count}"

    def add(self, item: Item, now: float) -> None:
        """Make `item` visible: the next request sees the new feed version."""
        self.entries.appendleft(item)
        if len(self.archive) == self.archive.maxlen:
            self.by_target.pop(self.archive[-1].path.encode(), None)
        self.archive.appendleft(item)
        self.by_target[item.path.encode()] = item
        self.version += 1
        # Strictly increasing, so that If-Modified-Since never hides a same-second publish.
        self.last_modified = max(int(now), self.last_modified + 1)
        self._feed = None
        self._home = None

    def feed_bytes(self) -> bytes:
        return self._current_feed().body

    def feed_of(self, items: list[Item]) -> bytes:
        """A feed document holding only `items` (for pushing new entries)."""
        return feeds.document(self.site, items, ttl_minutes=self._ttl)

    # --- serving ---

    def respond(self, method: bytes, target: bytes, headers: dict[bytes, bytes]) -> Response:
        trouble = self._trouble()
        if trouble is not None:
            return trouble
        delay = self._rng.uniform(*self.site.http.delay) if self.site.http.delay else 0.0
        if method not in (b"GET", b"HEAD"):
            response = simple("405 Method Not Allowed", b"", extra="Allow: GET, HEAD\r\n")
        else:
            response = self._route(target, headers)
        return response._replace(delay=delay) if delay else response

    def _route(self, target: bytes, headers: dict[bytes, bytes]) -> Response:
        path = target.split(b"?", 1)[0]
        if path == self._feed_path:
            return self._serve_feed(headers)
        if path == b"/":
            if self._home is None:
                self._home = self._pages.home(self.site, list(self.entries))
            return simple("200 OK", self._home, _HTML)
        item = self.by_target.get(target)
        if item is not None:
            return simple("200 OK", self._article(item), _HTML)
        if path == b"/robots.txt":
            return simple("200 OK", pages.robots(self.site))
        return simple("404 Not Found", b"not found\n")

    def _article(self, item: Item) -> bytes:
        page = self._page_cache.get(item.id)
        if page is None:
            related = [other for other in self.archive if other is not item][:4]
            if item.page is not None:
                page = gzip.decompress(item.page.read_bytes())
            else:
                page = self._pages.article(self.site, item, related)
            self._page_cache[item.id] = page
            if len(self._page_cache) > 2000:
                self._page_cache.popitem(last=False)
        return page

    def _serve_feed(self, headers: dict[bytes, bytes]) -> Response:
        feed = self._current_feed()
        gzip_ok = b"gzip" in headers.get(b"accept-encoding", b"").lower()
        if self._not_modified(feed, headers):
            return Response(feed.not_modified_gz if gzip_ok else feed.not_modified, b"")
        if gzip_ok:
            if feed.gz is None:
                feed.gz = gzip.compress(feed.body, compresslevel=6, mtime=0)
                feed.ok_gz = (
                    (
                        f"HTTP/1.1 200 OK\r\nContent-Length: {len(feed.gz)}\r\n"
                        "Content-Encoding: gzip\r\nETag: "
                    ).encode()
                    + feed.gz_etag
                    + b"\r\n"
                    + feed.common
                )
            return Response(feed.ok_gz, feed.gz)
        return Response(feed.ok, feed.body)

    @staticmethod
    def _not_modified(feed: _Feed, headers: dict[bytes, bytes]) -> bool:
        inm = headers.get(b"if-none-match")
        if inm is not None:  # it takes precedence over If-Modified-Since (RFC 9110)
            return feed.etag in inm or feed.gz_etag in inm or inm.strip() == b"*"
        ims = headers.get(b"if-modified-since")
        if ims is None:
            return False
        if ims == feed.last_modified:
            return True
        try:
            since = email.utils.parsedate_to_datetime(ims.decode("latin-1")).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
        return since >= feed.lm_epoch

    def _current_feed(self) -> _Feed:
        if self._feed is not None:
            return self._feed
        site = self.site
        body = feeds.document(site, list(self.entries), ttl_minutes=self._ttl)
        tag = f"{self._nonce}-{site.id}-{self.version}"
        last_modified = email.utils.formatdate(self.last_modified, usegmt=True).encode()
        common = [
            "Server: wwsim",
            f"Content-Type: {feeds.CONTENT_TYPES[site.kind]}",
            "Last-Modified: " + last_modified.decode(),
            "Vary: Accept-Encoding",
        ]
        if site.http.max_age is not None:
            common.append(
                f"Cache-Control: max-age={self._clock.advertised_seconds(site.http.max_age)}"
            )
        if site.hub_url is not None:
            common.append(f'Link: <{site.hub_url}>; rel="hub", <{site.feed_url}>; rel="self"')
        feed = _Feed(
            body=body,
            etag=f'"{tag}"'.encode(),
            gz_etag=f'"{tag}-gz"'.encode(),
            last_modified=last_modified,
            lm_epoch=self.last_modified,
            common="\r\n".join(common).encode() + b"\r\n",
        )
        feed.ok = (
            f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nETag: ".encode()
            + feed.etag
            + b"\r\n"
            + feed.common
        )
        feed.not_modified = (
            b"HTTP/1.1 304 Not Modified\r\nETag: " + feed.etag + b"\r\n" + feed.common
        )
        feed.not_modified_gz = (
            b"HTTP/1.1 304 Not Modified\r\nETag: " + feed.gz_etag + b"\r\n" + feed.common
        )
        self._feed = feed
        return feed

    def _ttl_minutes(self) -> int | None:
        # <ttl> counts whole minutes: a hint shorter than one real minute is left out
        # rather than rounded up into a slower poll than the site deserves.
        if self.site.kind != "rss2" or self.site.http.ttl is None:
            return None
        minutes = math.floor(self.site.http.ttl / self._clock.speedup / 60)
        return minutes if minutes >= 1 else None

    def _trouble(self) -> Response | None:
        http = self.site.http
        if http.outage is not None:
            every, duration, phase = http.outage
            into = (self._clock.now() + phase) % every
            if into < duration:
                if http.outage_status == 503:
                    wait = self._clock.advertised_seconds(duration - into)
                    return simple(
                        "503 Service Unavailable",
                        b"down for maintenance\n",
                        extra=f"Retry-After: {wait}\r\n",
                    )
                return simple("500 Internal Server Error", b"internal error\n")
        if http.ratelimit is not None:
            limit, window = http.ratelimit
            now = self._clock.now()
            if now - self._window_start >= window:
                self._window_start, self._window_count = now, 0
            self._window_count += 1
            if self._window_count > limit:
                wait = self._clock.advertised_seconds(self._window_start + window - now)
                return simple(
                    "429 Too Many Requests", b"slow down\n", extra=f"Retry-After: {wait}\r\n"
                )
        if http.flaky_rate and self._rng.random() < http.flaky_rate:
            return simple("500 Internal Server Error", b"internal error\n")
        return None
