"""Adaptive intervals, servers' wishes and backoff (pure functions)."""

from __future__ import annotations

import time
from email.utils import formatdate

from worldwire.model import Entry, Source
from worldwire.scheduler import plan_failure, plan_success
from worldwire.settings import Settings

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
