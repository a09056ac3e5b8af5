"""When each source is polled next, and the loop that hands due sources to workers.

The interval follows the source's observed publishing rate between a floor and a
ceiling, with jitter so that sources do not fall into lockstep. Servers' wishes
(Cache-Control max-age, Expires, RSS <ttl>, Retry-After) are honoured; failures back
off exponentially up to a cap, so a broken source recovers by itself."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from worldwire.model import Entry, Source
from worldwire.parse.dates import parse_date
from worldwire.settings import Settings
from worldwire.store import Store

log = logging.getLogger("worldwire.scheduler")

# Poll this fraction of the typical gap between items: a source publishing once a
# minute is checked every 20 s, one publishing hourly every 20 minutes.
RATE_FACTOR = 1 / 3
# Longest that a Retry-After is obeyed, whatever the server asks.
MAX_RETRY_AFTER = 24 * 3600.0
# Feed dates only tell the rate when enough recent items carry them.
MIN_DATED = 3
RECENT = 20
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)")


@dataclass(slots=True, frozen=True)
class Plan:
    interval: float
    next_check_at: float
    avg_gap: float | None


def feed_gap(entries: Sequence[Entry]) -> float | None:
    """Typical seconds between items, from the dates of the newest ones."""
    dates = sorted((e.published for e in entries if e.published), reverse=True)[:RECENT]
    if len(dates) < MIN_DATED or dates[0] == dates[-1]:
        return None
    return (dates[0] - dates[-1]) / (len(dates) - 1)


def observe_gap(
    source: Source, now: float, new_items: int, from_feed: float | None
) -> float | None:
    """Blend what we saw arrive with what the feed dates say."""
    gap = source.avg_gap
    if new_items and source.last_new_at:
        observed = max(1.0, (now - source.last_new_at) / new_items)
        gap = observed if gap is None else 0.5 * gap + 0.5 * observed
    elif not new_items and gap is not None and source.last_new_at:
        quiet = now - source.last_new_at
        if quiet > gap:  # quieter than we thought: let the interval grow
            gap = 0.7 * gap + 0.3 * quiet
    if from_feed is not None:
        gap = from_feed if gap is None else 0.5 * gap + 0.5 * from_feed
    return gap


def server_delay(headers: dict[str, str], ttl: float | None, now: float) -> float:
    """The shortest wait the server asked for, in seconds (0 when it asked nothing)."""
    wait = ttl or 0.0
    cache = headers.get("cache-control", "").lower()
    if "no-cache" not in cache and "no-store" not in cache:
        match = _MAX_AGE.search(cache)
        age = headers.get("age", "")
        if match:
            wait = max(wait, float(match.group(1)) - (float(age) if age.isdigit() else 0.0))
        elif (expires := parse_date(headers.get("expires"))) is not None:
            wait = max(wait, expires - now)
    return max(0.0, wait)


def jittered(seconds: float, settings: Settings) -> float:
    spread = settings.poll_jitter
    return seconds * random.uniform(1.0 - spread, 1.0 + spread)


def plan_success(
    source: Source,
    settings: Settings,
    now: float,
    new_items: int,
    entries: Sequence[Entry] = (),
    headers: dict[str, str] | None = None,
    ttl: float | None = None,
) -> Plan:
    gap = observe_gap(source, now, new_items, feed_gap(entries) if entries else None)
    base = settings.poll_initial if gap is None else gap * RATE_FACTOR
    interval = min(settings.poll_ceiling, max(settings.poll_floor, base))
    interval = jittered(interval, settings)
    asked = server_delay(headers or {}, ttl, now)
    interval = max(interval, min(asked, settings.poll_ceiling))
    return Plan(interval, now + interval, gap)


def plan_failure(
    source: Source,
    settings: Settings,
    now: float,
    error_count: int,
    retry_after: float | None = None,
) -> Plan:
    backoff = settings.backoff_base * 2 ** max(0, error_count - 1)
    interval = jittered(min(settings.backoff_ceiling, backoff), settings)
    if retry_after is not None:
        interval = max(interval, min(retry_after, MAX_RETRY_AFTER))
    return Plan(interval, now + interval, source.avg_gap)


def plan_backup(plan: Plan, settings: Settings, now: float) -> Plan:
    """While push delivers a source's news, a poll is only a rare check that it still
    does (never more often than the source would be polled anyway)."""
    interval = max(plan.interval, jittered(settings.websub_backup_poll, settings))
    return Plan(interval, now + interval, plan.avg_gap)


class Scheduler:
    """Claims due sources from the store (with a lease) and runs `poll` on each,
    at most `max_in_flight` at a time.

    Due sources are claimed ahead into a local queue (at most one more set of slots),
    and a finishing poll starts the next queued one at once: a claim is a round trip
    to the writer thread, and waiting for it between polls would leave the slots
    idle in waves instead of keeping them busy."""

    # After a poll finishes, wait this long for others to finish as well, so that one
    # claim refills many slots instead of costing one claim per poll.
    COALESCE = 0.01
    # On stop, a poll stuck on a slow host (or a slow name server) would otherwise hold
    # the shutdown for its whole fetch deadline.
    STOP_GRACE = 5.0

    def __init__(
        self,
        store: Store,
        settings: Settings,
        owner: str,
        poll: Callable[[Source], Awaitable[None]],
        max_in_flight: int,
    ) -> None:
        self.store = store
        self.settings = settings
        self.owner = owner
        self._poll = poll
        self._max = max_in_flight
        self._in_flight: set[asyncio.Task[None]] = set()
        # Claimed sources not started yet, with the time of their claim.
        self._ready: collections.deque[tuple[float, Source]] = collections.deque()
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()

    def nudge(self) -> None:
        """Look for due sources now (a source was added or a poll finished)."""
        self._wake.set()

    async def run(self, stop: asyncio.Event, once: bool = False) -> None:
        """Poll due sources until `stop` is set; with once=True, until none is due."""
        self._stop = stop
        while not stop.is_set():
            room = 2 * self._max - len(self._in_flight) - len(self._ready)
            want = min(room, self.settings.poll_batch)
            claimed: list[Source] = []
            if want > 0 and self._wants_more():
                now = time.time()
                claimed = await self.store.claim_due(
                    self.owner, now, want, self.settings.lease_seconds
                )
                self._ready.extend((now, source) for source in claimed)
                self._start_ready()
            if claimed and len(claimed) == want:
                await asyncio.sleep(0)  # more may be due: claim again at once
                continue
            if once and not claimed and not self._in_flight and not self._ready:
                return
            await self._sleep(stop)
        await self.drain()

    async def drain(self) -> None:
        """Let the polls in flight finish, for STOP_GRACE seconds at most, then cancel
        the rest. Their sources, and those claimed but not started, stay due: the
        caller releases the leases, and the next start polls them."""
        self._ready.clear()
        if not self._in_flight:
            return
        _, late = await asyncio.wait(self._in_flight, timeout=self.STOP_GRACE)
        for task in late:
            task.cancel()
        if late:
            log.info("stopping: %d polls cancelled after %g s", len(late), self.STOP_GRACE)
            await asyncio.gather(*late, return_exceptions=True)

    def _wants_more(self) -> bool:
        """Claim again once the queue could run dry before a claim comes back."""
        return len(self._ready) <= self._max // 2

    def _start_ready(self) -> None:
        # A source that waited for a slot for half its lease could be claimed by another
        # worker before we finish: leave it to the lease and poll it next time round.
        stale = time.time() - self.settings.lease_seconds / 2
        while self._ready and len(self._in_flight) < self._max and not self._stop.is_set():
            claimed_at, source = self._ready.popleft()
            if claimed_at < stale:
                continue
            task = asyncio.create_task(self._guarded(source))
            self._in_flight.add(task)
            task.add_done_callback(self._done)

    async def _sleep(self, stop: asyncio.Event) -> None:
        """Until the next source is due, the queue runs low, or we are stopped (at most
        1 s, so that sources added by another process are noticed)."""
        self._wake.clear()
        if not self._wants_more():
            delay = 1.0  # enough queued: a poll finishing with the queue low wakes us
        else:
            now = time.time()
            due = await self.store.next_check_at(now)
            delay = 1.0 if due is None else min(1.0, max(0.0, due - now))
        if delay <= 0:
            await asyncio.sleep(self.COALESCE)
            return
        if self._wake.is_set():  # woken while asking the store
            await asyncio.sleep(self.COALESCE)
            return
        waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waiters, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()
        if self._wake.is_set() and not stop.is_set():
            await asyncio.sleep(self.COALESCE)

    async def _guarded(self, source: Source) -> None:
        try:
            await self._poll(source)
        except Exception:
            # The pipeline records every expected failure itself; this is a bug,
            # and it must not stop the other sources.
            log.exception("poll crashed", extra={"source_id": source.id, "url": source.feed_url})

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._start_ready()
        if self._wants_more():
            self._wake.set()
        with contextlib.suppress(asyncio.CancelledError):
            task.exception()
