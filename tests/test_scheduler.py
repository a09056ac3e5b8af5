"""Adaptive intervals, servers' wishes and backoff (pure functions), and the loop that
claims due sources from a real store and polls them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from email.utils import formatdate
from pathlib import Path

from worldwire.model import Entry, Source, SourceSpec
from worldwire.scheduler import Scheduler, plan_failure, plan_success
from worldwire.settings import Settings
from worldwire.store import SQLiteStore

SETTINGS = Settings()
NOW = time.time()


def entries_every(seconds: float, n: int = 20) -> list[Entry]:
    return [Entry(key=str(i), url=f"https://x/{i}", published=NOW - i * seconds) for i in range(n)]


def source(**kw: object) -> Source:
    return Source(id=1, name="s", feed_url="https://x/feed", **kw)  # type: ignore[arg-type]


def test_a_hot_source_is_checked_at_least_every_30_seconds() -> None:
    for _ in range(50):  # jitter included
        plan = plan_success(source(), SETTINGS, NOW, 20, entries_every(60))
        assert SETTINGS.poll_floor * 0.9 <= plan.interval <= 30.0


def test_a_quiet_source_falls_to_hours() -> None:
    plan = plan_success(source(), SETTINGS, NOW, 5, entries_every(86400, 5))
    assert plan.interval >= 3 * 3600
    assert plan.interval <= SETTINGS.poll_ceiling * (1 + SETTINGS.poll_jitter)


def test_unknown_rate_starts_at_the_initial_interval() -> None:
    plan = plan_success(source(), SETTINGS, NOW, 0)
    assert (
        abs(plan.interval - SETTINGS.poll_initial) <= SETTINGS.poll_initial * SETTINGS.poll_jitter
    )


def test_observed_arrivals_speed_polling_up_and_silence_slows_it_down() -> None:
    busy = source(avg_gap=600.0, last_new_at=NOW - 120)
    faster = plan_success(busy, SETTINGS, NOW, 4)  # 4 new items in 2 minutes
    assert faster.avg_gap is not None and faster.avg_gap < 600
    quiet = source(avg_gap=600.0, last_new_at=NOW - 6 * 3600)
    slower = plan_success(quiet, SETTINGS, NOW, 0)
    assert slower.avg_gap is not None and slower.avg_gap > 600


def test_server_wishes_are_honoured() -> None:
    hot = entries_every(60)
    assert (
        plan_success(
            source(), SETTINGS, NOW, 1, hot, {"cache-control": "public, max-age=600"}
        ).interval
        >= 600
    )
    assert (
        plan_success(
            source(), SETTINGS, NOW, 1, hot, {"cache-control": "max-age=600", "age": "500"}
        ).interval
        < 150
    )
    assert (
        plan_success(
            source(), SETTINGS, NOW, 1, hot, {"expires": formatdate(NOW + 900, usegmt=True)}
        ).interval
        >= 890
    )
    assert plan_success(source(), SETTINGS, NOW, 1, hot, {}, ttl=1800).interval >= 1800
    assert (
        plan_success(
            source(), SETTINGS, NOW, 1, hot, {"cache-control": "no-cache, max-age=9999"}
        ).interval
        < 60
    )
    # However long a server asks, the ceiling holds.
    assert plan_success(source(), SETTINGS, NOW, 1, hot, {}, ttl=10**7).interval <= (
        SETTINGS.poll_ceiling
    )


def test_failures_back_off_to_a_cap_and_honour_retry_after() -> None:
    intervals = [plan_failure(source(), SETTINGS, NOW, n).interval for n in range(1, 12)]
    assert intervals[0] < intervals[2] < intervals[4]
    assert max(intervals) <= SETTINGS.backoff_ceiling * (1 + SETTINGS.poll_jitter)
    assert plan_failure(source(), SETTINGS, NOW, 1, retry_after=7200).interval == 7200
    assert plan_failure(source(), SETTINGS, NOW, 1, retry_after=10**9).interval == 24 * 3600


def test_a_source_failing_for_an_hour_is_polled_again_soon_after_it_recovers() -> None:
    t, errors = 0.0, 0
    while t < 3600:  # the server answers 500 for an hour
        errors += 1
        t += plan_failure(source(), SETTINGS, NOW + t, errors).interval
    # The first poll after the hour comes within one capped backoff of the recovery.
    assert t - 3600 <= SETTINGS.backoff_ceiling * (1 + SETTINGS.poll_jitter)
    assert errors < 12  # polite while it was down


async def _scheduler_over(
    tmp_path: Path, sources: int, max_in_flight: int, poll: Callable[[Source], Awaitable[None]]
) -> tuple[Scheduler, SQLiteStore]:
    store = SQLiteStore(str(tmp_path / "ww.db"))
    await store.add_sources(
        [SourceSpec(f"Site {n}", f"https://site{n}.example/feed") for n in range(sources)]
    )
    return Scheduler(store, SETTINGS, "w", poll, max_in_flight), store


async def test_due_sources_are_claimed_ahead_and_each_polled_once(tmp_path: Path) -> None:
    polled: list[int] = []

    async def poll(source: Source) -> None:
        polled.append(source.id)
        await asyncio.sleep(0.001)

    scheduler, store = await _scheduler_over(tmp_path, 40, 4, poll)
    try:
        await scheduler.run(asyncio.Event(), once=True)  # claims stay leased: one round
    finally:
        await store.close()
    assert sorted(polled) == list(range(1, 41))


async def test_no_poll_starts_once_stopped(tmp_path: Path) -> None:
    started: list[int] = []
    release = asyncio.Event()

    async def poll(source: Source) -> None:
        started.append(source.id)
        await release.wait()

    scheduler, store = await _scheduler_over(tmp_path, 10, 1, poll)
    stop = asyncio.Event()
    try:
        running = asyncio.create_task(scheduler.run(stop))
        while not started:  # one poll in flight, more claimed and waiting for its slot
            await asyncio.sleep(0.01)
        # The poll in flight finishes as we stop: its slot must not go to the next one.
        stop.set()
        release.set()
        await asyncio.wait_for(running, 10)
    finally:
        await store.close()
    assert started == [1]


async def test_a_stuck_poll_holds_a_stop_only_for_the_grace(tmp_path: Path) -> None:
    outcomes: list[str] = []
    started: list[int] = []

    async def poll(source: Source) -> None:
        started.append(source.id)
        try:
            await asyncio.Event().wait()  # a host that never answers
        except asyncio.CancelledError:
            outcomes.append("cancelled")
            raise

    scheduler, store = await _scheduler_over(tmp_path, 3, 3, poll)
    scheduler.STOP_GRACE = 0.2
    stop = asyncio.Event()
    try:
        running = asyncio.create_task(scheduler.run(stop))
        while len(started) < 3:  # every slot holds a stuck poll
            await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(running, 5)
    finally:
        await store.close()
    assert outcomes == ["cancelled"] * 3
