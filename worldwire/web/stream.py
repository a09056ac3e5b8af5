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

from worldwire.web.fanout import Fanout, Subscriber, body
from worldwire.web.hub import Matcher, StreamHub
from worldwire.web.metrics import Metrics
from worldwire.web.security import RAW_SEND

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
        self, hub: StreamHub, fanout: Fanout, matcher: Matcher, cursor: int, metrics: Metrics
    ) -> None:
        self.hub = hub
        self.fanout = fanout
        self.matcher = matcher
        self.cursor = cursor
        self.metrics = metrics
        self.status_code = 200
        self.background = None
        self._sub: Subscriber | None = None
        self._closed = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        listener = asyncio.get_running_loop().create_task(self._listen(receive))
        self.fanout.join()
        self.metrics.stream_clients += 1
        self.metrics.stream_connections += 1
        try:
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            # The body goes straight to the server: the middleware only ever looks at
            # the response's start, and a stream sends thousands of chunks.
            await self._run(scope.get(RAW_SEND, send))
        except asyncio.CancelledError:
            # The server is stopping (streams never end by themselves): end this one
            # cleanly instead of as a failed request; the reader reconnects later.
            pass
        finally:
            if self._sub is not None:
                self.fanout.unsubscribe(self._sub)
            self.metrics.stream_clients -= 1
            self.fanout.leave()
            listener.cancel()
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _listen(self, receive: Receive) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        self._closed = True
        if self._sub is not None:
            self.fanout.unsubscribe(self._sub)
            self._sub.resume("closed")

    async def _run(self, send: Send) -> None:
        await send(body(HELLO))
        sub = self._sub = Subscriber(self.matcher, send, self.cursor)
        while not self._closed:
            await self._catch_up(sub)
            if self._closed:
                break
            if not self.fanout.subscribe(sub) and not sub.busy:
                continue  # the push moved on meanwhile: catch up again
            # Up to date, the push writes to us from now on until it hands us back (or,
            # busy, a write of ours is still going out: we wait for it to finish).
            sub.wake = asyncio.get_running_loop().create_future()
            await sub.wake
            sub.wake = None
            self.fanout.unsubscribe(sub)

    async def _catch_up(self, sub: Subscriber) -> None:
        """Send what happened since the reader's cursor, from memory or the store."""
        while not self._closed:
            items, cursor = await self.hub.after(sub.cursor)
            if not items:
                sub.cursor = cursor
                if self.hub.bus.last_id <= cursor:
                    return
                continue  # published while we were busy
            chunk = [item.frame for item in items if await self.matcher(item)]
            sub.cursor = cursor
            if chunk:
                await sub.send(body(b"".join(chunk)))
                self.metrics.stream_events_sent += len(chunk)
                self.metrics.delivery.observe(max(0.0, time.time() - items[-1].created_at))
