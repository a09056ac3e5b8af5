"""`/api/stream`: Server-Sent Events for story.new, story.updated and article.new.

A reader starts from Last-Event-ID (the browser sends it when it reconnects), else
from `last_event_id` (a page passes the version it was rendered at, so nothing
between render and connect is lost), else from now. Comments keep idle
connections open through proxies."""

from __future__ import annotations

import asyncio
import time

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from worldwire.web.hub import Matcher, StreamHub
from worldwire.web.metrics import Metrics

KEEPALIVE = b": keep-alive\n\n"
HELLO = b": connected\nretry: 2000\n\n"
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-transform"),
    (b"x-accel-buffering", b"no"),  # nginx: do not buffer the stream
    (b"access-control-allow-origin", b"*"),
]


def start_cursor(header: str | None, query: int | None, now: int) -> int:
    if header:
        try:
            value = int(header.strip())
        except ValueError:
            value = -1
        if 0 <= value <= now:
            return value
    if query is not None and 0 <= query <= now:
        return query
    return now


class EventStream(Response):
    media_type = "text/event-stream"

    def __init__(
        self, hub: StreamHub, matcher: Matcher, cursor: int, metrics: Metrics, keepalive: float
    ) -> None:
        self.hub = hub
        self.matcher = matcher
        self.cursor = cursor
        self.metrics = metrics
        self.keepalive = keepalive
        self.status_code = 200
        self.background = None
        self._wake: asyncio.Future[str] | None = None
        self._closed = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        listener = asyncio.get_running_loop().create_task(self._listen(receive))
        self.hub.join()
        self.metrics.stream_clients += 1
        self.metrics.stream_connections += 1
        try:
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            await send({"type": "http.response.body", "body": HELLO, "more_body": True})
            await self._pump(send)
        finally:
            self.metrics.stream_clients -= 1
            self.hub.leave()
            listener.cancel()
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _listen(self, receive: Receive) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        self._closed = True
        if self._wake is not None and not self._wake.done():
            self._wake.set_result("closed")

    async def _pump(self, send: Send) -> None:
        loop = asyncio.get_running_loop()
        while not self._closed:
            items, self.cursor = await self.hub.after(self.cursor)
            if items:
                chunk = [item.frame for item in items if await self.matcher(item)]
                if chunk:
                    await send(
                        {"type": "http.response.body", "body": b"".join(chunk), "more_body": True}
                    )
                    now = time.time()
                    self.metrics.stream_events_sent += len(chunk)
                    self.metrics.delivery.observe(max(0.0, now - items[-1].created_at))
                continue
            if self.hub.bus.last_id > self.cursor:
                continue  # published while we were busy: no need to wait
            self._wake = self.hub.waiter()
            timer = loop.call_later(self.keepalive, _resolve, self._wake, "keepalive")
            try:
                reason = await self._wake
            finally:
                timer.cancel()
                self._wake = None
            if reason == "keepalive":
                await send({"type": "http.response.body", "body": KEEPALIVE, "more_body": True})


def _resolve(future: asyncio.Future[str], value: str) -> None:
    if not future.done():
        future.set_result(value)
