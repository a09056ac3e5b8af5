"""Committed events, fanned out in process to live readers (the SSE stream, hubs).

The writer thread hands each committed batch to `publish_threadsafe`; readers
`await wait_after(last_id)`. Recent events stay in a ring so that a reader who
reconnects with Last-Event-ID resumes from memory; older ones come from the store."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
from collections import deque

from worldwire.model import Event

RING = 10_000


class EventBus:
    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop
        self._ring: deque[Event] = deque(maxlen=RING)
        # Replaced by a fresh Event at each publish: waking every waiter is one set().
        self._changed = asyncio.Event()
        self.last_id = 0

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def publish_threadsafe(self, events: list[Event]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed while we committed
            loop.call_soon_threadsafe(self._schedule, events)

    def _schedule(self, events: list[Event]) -> None:
        self._ring.extend(events)
        if events:
            self.last_id = max(self.last_id, events[-1].id)
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def recent_after(self, event_id: int) -> list[Event] | None:
        """Events after `event_id` from memory, or None if the ring no longer reaches
        back that far (read the store instead)."""
        if not self._ring:
            return [] if event_id >= self.last_id else None
        if event_id < self._ring[0].id - 1:
            return None
        if event_id >= self._ring[-1].id:
            return []
        start = bisect.bisect_right(self._ring, event_id, key=lambda e: e.id)
        return list(itertools.islice(self._ring, start, None))

    async def wait_after(self, event_id: int) -> None:
        """Return once an event newer than `event_id` is published (callers bound the
        wait with asyncio.timeout, e.g. to send keep-alives)."""
        while self.last_id <= event_id:
            await self._changed.wait()
