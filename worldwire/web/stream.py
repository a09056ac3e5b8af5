"""`/api/stream`: Server-Sent Events for story.new, story.updated and article.new.

A reader starts from Last-Event-ID (the browser sends it when it reconnects), else
from `last_event_id` (a page passes the version it was rendered at, so nothing
between render and connect is lost), else from now. Comments keep idle
connections open through proxies."""

from __future__ import annotations

import asyncio
import functools
import time

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from worldwire.web.hub import Matcher, StreamHub
from worldwire.web.metrics import Metrics
from worldwire.web.security import RAW_SEND

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

    def __init__(self, hub: StreamHub, matcher: Matcher, cursor: int, metrics: Metrics) -> None:
        self.hub = hub
        self.matcher = matcher
        self.cursor = cursor
        self.metrics = metrics
        self.status_code = 200
        self.background = None
        self._closed = False
        self._wake: asyncio.Future[str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        listener = asyncio.get_running_loop().create_task(self._listen(receive))
        self.hub.join()
        self.metrics.stream_clients += 1
        self.metrics.stream_connections += 1
        try:
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            # The body goes straight to the server: the middleware only ever looks at
            # the response's start, and a stream sends thousands of chunks.
            await self._pump(scope.get(RAW_SEND, send))
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
        await send({"type": "http.response.body", "body": HELLO, "more_body": True})
        while not self._closed:
            items, self.cursor = await self.hub.after(self.cursor)
            if items:
                chunk = [item.frame for item in items if await self.matcher(item)]
                if chunk:
                    await send(
                        {"type": "http.response.body", "body": b"".join(chunk), "more_body": True}
                    )
                    self.metrics.stream_events_sent += len(chunk)
                    self.metrics.delivery.observe(max(0.0, time.time() - items[-1].created_at))
                continue
            if self.hub.bus.last_id > self.cursor:
                continue  # published while we were busy: no need to wait
            # Our own future, relayed from the shared tick: cancelling this reader (at
            # shutdown) cancels nothing the others wait on, and leaving wakes it.
            self._wake = asyncio.get_running_loop().create_future()
            self.hub.tick().add_done_callback(functools.partial(_relay, self._wake))
            reason = await self._wake
            self._wake = None
            if reason == "keepalive":
                await send({"type": "http.response.body", "body": KEEPALIVE, "more_body": True})


def _relay(wake: asyncio.Future[str], tick: asyncio.Future[str]) -> None:
    if not wake.done() and not tick.cancelled():
        wake.set_result(tick.result())
