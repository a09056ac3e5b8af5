"""Rendered pages and feeds, cached until the next event.

A page is rendered once per event-log version (the bus's last event id) and then
served from memory: a cache hit never reaches the router (see app.WorldWireApp).
Concurrent misses for the same page share one render. HTML keeps the CSP nonce
placeholder split out, so each response gets a fresh nonce by a join instead of a
render."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from worldwire.bus import EventBus
from worldwire.web.compress import accepts_gzip, deflate_parts, gzip_join
from worldwire.web.security import COMMON_HEADERS, NONCE_PLACEHOLDER, html_csp, new_nonce

Key = tuple[str, bytes, bytes]
MIN_GZIP = 1024  # bytes: smaller bodies gain nothing
_PLACEHOLDER = NONCE_PLACEHOLDER.encode()


@dataclass(slots=True)
class Rendered:
    """A response ready to send, many times."""

    parts: tuple[bytes, ...]  # the body, split where the nonce goes
    content_type: bytes
    status: int = 200
    etag: bytes = b""
    cache_control: bytes = b"no-cache"
    max_age: float = 60.0  # seconds this stays servable, events or not
    version: int = 0
    expires: float = 0.0
    extra_headers: tuple[tuple[bytes, bytes], ...] = ()
    # Compressed once, on the first request that accepts gzip.
    _deflated: tuple[bytes, ...] | None = None
    _gzipped: bytes | None = None  # the whole body, when no nonce varies it

    @classmethod
    def from_body(
        cls,
        body: bytes,
        content_type: str,
        *,
        status: int = 200,
        etag: bytes = b"",
        cache_control: bytes = b"no-cache",
        max_age: float = 60.0,
        extra_headers: tuple[tuple[bytes, bytes], ...] = (),
        with_nonce: bool = False,
    ) -> Rendered:
        """`with_nonce`: an HTML page whose NONCE_PLACEHOLDERs take a fresh nonce."""
        return cls(
            parts=tuple(body.split(_PLACEHOLDER)) if with_nonce else (body,),
            content_type=content_type.encode(),
            status=status,
            etag=etag,
            cache_control=cache_control,
            max_age=max_age,
            extra_headers=extra_headers,
        )

    @property
    def body_size(self) -> int:
        return sum(len(p) for p in self.parts)

    def matches(self, scope: Scope, etag: bytes | None = None) -> bool:
        """Whether the request's If-None-Match names this response's ETag."""
        etag = etag or self.etag
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                tags = [t.strip().removeprefix(b"W/") for t in value.split(b",")]
                return etag in tags or b"*" in tags
        return False

    def variant(self, scope: Scope) -> tuple[bool, bytes]:
        """(gzip or not, the ETag of that encoding)."""
        gzipped = self.body_size >= MIN_GZIP and accepts_gzip(scope["headers"])
        if gzipped and self.etag:
            return True, self.etag[:-1] + b'-gz"'
        return gzipped, self.etag

    async def send(self, scope: Scope, send: Send) -> None:
        gzipped, etag = self.variant(scope)
        headers = [(b"content-type", self.content_type), (b"cache-control", self.cache_control)]
        headers.extend(COMMON_HEADERS)
        headers.extend(self.extra_headers)
        headers.append((b"vary", b"accept-encoding"))
        if etag:
            headers.append((b"etag", etag))
            if self.matches(scope, etag):
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
        nonce = b""
        if len(self.parts) > 1:
            text = new_nonce()
            nonce = text.encode()
            headers.append((b"content-security-policy", html_csp(text)))
        if gzipped:
            body = self._gzip(nonce)
            headers.append((b"content-encoding", b"gzip"))
        else:
            body = nonce.join(self.parts)
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _gzip(self, nonce: bytes) -> bytes:
        if self._gzipped is not None:
            return self._gzipped
        if self._deflated is None:
            self._deflated = deflate_parts(self.parts)
        body = gzip_join(self.parts, self._deflated, nonce)
        if len(self.parts) == 1:
            self._gzipped = body
        return body


class RenderedResponse(Response):
    """Lets a route answer with a cached `Rendered`."""

    def __init__(self, rendered: Rendered) -> None:
        self.rendered = rendered
        self.status_code = rendered.status
        self.background = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.rendered.send(scope, send)


class PageCache:
    def __init__(self, bus: EventBus, max_entries: int = 512) -> None:
        self.bus = bus
        self.max_entries = max_entries
        self._entries: OrderedDict[Key, Rendered] = OrderedDict()
        self._inflight: dict[Key, asyncio.Future[Rendered]] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, key: Key) -> Rendered | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.version != self.bus.last_id or entry.expires < time.monotonic():
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    async def get_or_render(self, key: Key, render: Callable[[], Awaitable[Rendered]]) -> Rendered:
        entry = self.lookup(key)
        if entry is not None:
            return entry
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        self.misses += 1
        future: asyncio.Future[Rendered] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        # Anything committed after this point makes the result stale at once.
        version = self.bus.last_id
        try:
            entry = await render()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # waiters get it; nobody else needs to
            raise
        finally:
            self._inflight.pop(key, None)
        entry.version = version
        entry.expires = time.monotonic() + entry.max_age
        future.set_result(entry)
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return entry


def cache_key(scope: Scope) -> Key:
    # Feeds hold absolute URLs built from the Host a reader used.
    host = next((v for k, v in scope["headers"] if k == b"host"), b"")
    return scope["path"], scope["query_string"], host
