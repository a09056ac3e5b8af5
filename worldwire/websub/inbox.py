"""Pushed bodies, coalesced per topic: while one batch is being stored, the bodies
that arrive for the same topic wait, and go in together as the next batch. A burst
of deliveries costs one parse-and-store pass, not one per delivery."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from worldwire.errors import StoreError
from worldwire.model import Entry, ParsedFeed

log = logging.getLogger("worldwire.websub")

Arrived = list[tuple[bytes, float]]  # bodies, with when each came
Handle = Callable[[int, Arrived], Awaitable[None]]


class Inbox:
    def __init__(self, handle: Handle) -> None:
        self._handle = handle
        self._waiting: dict[int, Arrived] = {}
        self._draining: dict[int, asyncio.Task[None]] = {}

    def put(self, topic: int, body: bytes, at: float) -> None:
        self._waiting.setdefault(topic, []).append((body, at))
        if topic not in self._draining:
            self._draining[topic] = asyncio.create_task(self._drain(topic))

    async def close(self) -> None:
        """Wait for what is being stored, and for what waits behind it."""
        while self._draining:
            await asyncio.gather(*self._draining.values(), return_exceptions=True)

    async def _drain(self, topic: int) -> None:
        try:
            while arrived := self._waiting.pop(topic, None):
                try:
                    await self._handle(topic, arrived)
                except StoreError as exc:
                    log.error("cannot store pushed items: %s", exc, extra={"source_id": topic})
                except Exception:  # a bug must not stop this topic's deliveries
                    log.exception("push ingest crashed", extra={"source_id": topic})
        finally:
            self._draining.pop(topic, None)


def merged(feeds: Sequence[ParsedFeed]) -> ParsedFeed:
    """Deliveries of one batch as one feed: the latest version of each entry wins."""
    by_key: dict[str, Entry] = {}
    for feed in feeds:
        for entry in feed.entries:
            by_key[entry.key] = entry
    last = feeds[-1]
    return ParsedFeed(
        kind=last.kind,
        title=last.title,
        homepage=last.homepage,
        language=last.language,
        hubs=last.hubs,
        self_url=last.self_url,
        entries=list(by_key.values()),
        warnings=[w for f in feeds for w in f.warnings],
    )
