"""Pushing events to live readers.

A reader that is up to date subscribes here and then sleeps. One watcher wakes per
publish (after a short pause that gathers an article and its story, or a feed's
burst, into one push), takes the prepared events once, and writes each
subscriber's share straight into its connection: per reader and event, a filter
test and a write, with no task woken, no future made and no scan of the log.
(Waking thousands of reader tasks costs ten times more, mostly in the event loop
and the garbage collector.)

A write that cannot finish at once (a slow reader whose socket buffer is full)
goes on by itself; that reader leaves the push and catches up in its own task,
from its cursor, as a reader resuming with Last-Event-ID does."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from starlette.types import Send

from worldwire.bus import EventBus
from worldwire.web.hub import Matcher, Prepared, StreamHub
from worldwire.web.metrics import Metrics

log = logging.getLogger("worldwire.web")
COALESCE = 0.01  # seconds
KEEPALIVE = b": keep-alive\n\n"


class Subscriber:
    """One live reader, as the push sees it."""

    __slots__ = ("busy", "cursor", "matcher", "send", "wake")

    def __init__(self, matcher: Matcher, send: Send, cursor: int) -> None:
        self.matcher = matcher
        self.send = send
        self.cursor = cursor
        self.busy = False  # a write is still going on
        self.wake: asyncio.Future[str] | None = None

    def resume(self, reason: str) -> None:
        """Hand the reader back to its own task."""
        if self.wake is not None and not self.wake.done():
            self.wake.set_result(reason)


def body(data: bytes) -> dict[str, Any]:
    return {"type": "http.response.body", "body": data, "more_body": True}


def drive(awaitable: Awaitable[None], done: Callable[[], None]) -> bool:
    """Run a coroutine as far as it goes without waiting: True if it finished. If it
    waits on a future, it goes on when that completes, as a Task would step it, and
    calls `done` when it finishes."""
    if not isinstance(awaitable, Coroutine):
        asyncio.ensure_future(awaitable).add_done_callback(lambda _: done())
        return False
    coro = awaitable
    try:
        waited = coro.send(None)
    except StopIteration:
        return True
    except Exception:  # a failed write: the reader is gone, its task will notice
        log.debug("stream write failed", exc_info=True)
        return True

    def step(_: object = None) -> None:
        if drive(coro, done):
            done()

    if isinstance(waited, asyncio.Future):
        waited._asyncio_future_blocking = False  # accepted, as Task.__step does
        waited.add_done_callback(step)
    else:  # a bare yield (asyncio.sleep(0)): go on at the next turn
        asyncio.get_running_loop().call_soon(step)
    return False


class Fanout:
    def __init__(self, hub: StreamHub, bus: EventBus, metrics: Metrics, keepalive: float) -> None:
        self.hub = hub
        self.bus = bus
        self.metrics = metrics
        self.keepalive = keepalive
        self.cursor = bus.last_id  # every subscriber has everything up to here
        self.subscribers: set[Subscriber] = set()
        self.clients = 0
        self._watcher: asyncio.Task[None] | None = None

    # -- readers --------------------------------------------------------------------

    def join(self) -> None:
        """A stream opened: the watcher runs while any is open."""
        self.clients += 1
        if self._watcher is None or self._watcher.done():
            self.cursor = self.bus.last_id
            self._watcher = asyncio.get_running_loop().create_task(self._watch())

    def leave(self) -> None:
        self.clients -= 1
        if self.clients <= 0 and self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None

    def subscribe(self, sub: Subscriber) -> bool:
        """Take a reader into the push if it has everything pushed so far."""
        if sub.cursor < self.cursor or sub.busy:
            return False
        self.subscribers.add(sub)
        return True

    def unsubscribe(self, sub: Subscriber) -> None:
        self.subscribers.discard(sub)

    # -- the push -----------------------------------------------------------------------

    async def _watch(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self.bus.wait_after(self.cursor), self.keepalive)
            except TimeoutError:
                for sub in list(self.subscribers):
                    self._write(sub, KEEPALIVE)
                continue
            await asyncio.sleep(COALESCE)
            try:
                await self._push()
            except Exception:  # e.g. the store failed to read: nobody must stall
                log.exception("live push failed; readers catch up on their own")
                for sub in list(self.subscribers):
                    self._leave(sub, "resume")
                self.cursor = self.bus.last_id

    async def _push(self) -> None:
        while True:
            items, cursor = await self.hub.after(self.cursor)
            searches = {s.matcher.q for s in self.subscribers if s.matcher.q}
            if items and searches:
                await self.hub.check_searches(searches, items)
            sent = 0
            for sub in list(self.subscribers):
                chunk = self._share(sub, items)
                if chunk is None:  # a search joined too late to be checked: own task
                    self._leave(sub, "resume")
                    continue
                sub.cursor = max(sub.cursor, cursor)
                if chunk:
                    self._write(sub, chunk)
                    sent += 1
            if sent:
                self.metrics.stream_events_sent += sent
                self.metrics.delivery.observe(max(0.0, time.time() - items[-1].created_at), sent)
            self.cursor = max(self.cursor, cursor)
            if not items:
                return

    @staticmethod
    def _share(sub: Subscriber, items: list[Prepared]) -> bytes | None:
        frames = []
        for item in items:
            if item.id <= sub.cursor:
                continue
            selected = sub.matcher.selects(item)
            if selected is None:
                return None
            if selected:
                frames.append(item.frame)
        return b"".join(frames)

    def _write(self, sub: Subscriber, data: bytes) -> None:
        def finished() -> None:
            sub.busy = False
            sub.resume("resume")

        if not drive(sub.send(body(data)), finished):
            # The reader's socket is full: it leaves the push until this is written.
            sub.busy = True
            self.subscribers.discard(sub)
            self.metrics.stream_slow_readers += 1

    def _leave(self, sub: Subscriber, reason: str) -> None:
        self.subscribers.discard(sub)
        sub.resume(reason)
