"""A small simulated world, sped up, read by a real `worldwire run` process: every item
shows up once per source within the bound the polling settings imply, and a killed and
restarted WorldWire loses nothing and duplicates nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from worldwire.sim.config import WorldConfig
from worldwire.sim.world import World

from .cli.test_commands import free_port

FLOOR, CEILING, JITTER = 1.0, 3.0, 0.1
# A poll can wait up to one interval, plus a fetch and a write on a busy 2-core machine.
BOUND = CEILING * (1 + JITTER) + 4.0


def start_worldwire(tmp: Path, opml: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "WORLDWIRE_POLL_FLOOR": str(FLOOR),
        "WORLDWIRE_POLL_INITIAL": str(CEILING),
        "WORLDWIRE_POLL_CEILING": str(CEILING),
        "WORLDWIRE_POLL_JITTER": str(JITTER),
        "WORLDWIRE_BACKOFF_BASE": "1",
        "WORLDWIRE_BACKOFF_CEILING": str(CEILING),
        "WORLDWIRE_LEASE_SECONDS": "5",
        "WORLDWIRE_EXTRACT_WORKERS": "1",
        "WORLDWIRE_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "worldwire",
            "run",
            "--db",
            str(tmp / "ww.db"),
            "--sources",
            str(opml),
            "--port",
            str(port),
            "--allow-net",
            "127.0.0.1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def until_ready(port: int) -> float:
    """When the API answers: WorldWire has started (its first polls are under way)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return time.time()
        except OSError:
            await asyncio.sleep(0.1)
    raise AssertionError("WorldWire did not start")


def stored(db: Path) -> list[tuple[str, str, float]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT s.feed_url, a.url, a.seen_at FROM articles a "
            "JOIN sources s ON s.id = a.source_id"
        ).fetchall()
    finally:
        conn.close()


@pytest.mark.slow
async def test_every_item_once_within_the_bound_across_a_kill(tmp_path: Path) -> None:
    cfg = WorldConfig(sites=20, speedup=30.0, seed=7).plain()
    async with World(cfg) as world:
        opml = tmp_path / "world.opml"
        opml.write_text(world.opml())
        port = free_port()
        started_at = time.time()
        first = start_worldwire(tmp_path, opml, port)
        first_ready = await until_ready(port)
        await asyncio.sleep(8)
        first.send_signal(signal.SIGKILL)  # no clean stop: the store must survive as it is
        first.wait()
        killed_at = time.time()
        await asyncio.sleep(2)  # the world goes on publishing while WorldWire is down
        second = start_worldwire(tmp_path, opml, port)
        second_ready = await until_ready(port)
        try:
            await asyncio.sleep(10)
            world.pause()
            paused_at = time.time()
            await asyncio.sleep(BOUND + 2)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=60)
        assert second.returncode == 0
        truth = list(world.truth)

    rows = stored(tmp_path / "ww.db")
    per_source = Counter((feed, url) for feed, url, _ in rows)
    assert all(n == 1 for n in per_source.values()), "an item was stored twice"
    seen = {(feed, url): seen_at for feed, url, seen_at in rows}
    published = [r for r in truth if r.published <= paused_at]
    assert len(published) > 60  # the world really published during the test
    missing = [r.url for r in published if (r.feed_url, r.url) not in seen]
    assert missing == []
    # No bound applies to what was published while WorldWire was starting or down.
    unbound = [(started_at, first_ready), (killed_at - BOUND, second_ready)]
    late = []
    for r in published:
        if r.backfill or any(a <= r.published <= b for a, b in unbound):
            continue
        delay = seen[(r.feed_url, r.url)] - r.published
        if delay > BOUND:
            late.append((r.url, round(delay, 1)))
    assert late == []
