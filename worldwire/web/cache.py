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
from worldwire.web.security import COMMON_HEADERS, NONCE_PLACEHOLDER, html_csp, new_nonce

Key = tuple[str, bytes, bytes]
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

    def matches(self, scope: Scope) -> bool:
        """Whether the request's If-None-Match names this response's ETag."""
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                tags = [t.strip().removeprefix(b"W/") for t in value.split(b",")]
                return self.etag in tags or b"*" in tags
        return False

    async def send(self, scope: Scope, send: Send) -> None:
        headers = [(b"content-type", self.content_type), (b"cache-control", self.cache_control)]
        headers.extend(COMMON_HEADERS)
        headers.extend(self.extra_headers)
        if self.etag:
            headers.append((b"etag", self.etag))
            if self.matches(scope):
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
        if len(self.parts) > 1:
            nonce = new_nonce()
            body = nonce.encode().join(self.parts)
            headers.append((b"content-security-policy", html_csp(nonce)))
        else:
            body = self.parts[0]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


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
