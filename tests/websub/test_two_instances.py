"""Two WorldWires on 127.0.0.1: B follows a query feed of A's, finds A's hub in it,
subscribes, and gets A's new stories pushed as A has them, not by polling."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import aiohttp
import pytest

from tests.cli.test_commands import free_port
from tests.websub.conftest import push_world, until
from worldwire.sim import World

TITLE = "Volcanic eruption forces evacuation of Grindavik fishing villages"
TEXT = (
    "Lava fountains rose above the Reykjanes peninsula overnight as Icelandic authorities "
    "evacuated Grindavik and closed the Blue Lagoon spa."
)


def start(tmp: Path, name: str, sources: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "WORLDWIRE_POLL_FLOOR": "0.5",
        "WORLDWIRE_POLL_INITIAL": "1",
        "WORLDWIRE_POLL_CEILING": "1",
        "WORLDWIRE_BACKOFF_BASE": "0.5",
        "WORLDWIRE_BACKOFF_CEILING": "1",
        "WORLDWIRE_READ_PAGES": "false",
        "WORLDWIRE_LOG_LEVEL": "WARNING",
    }
    (tmp / name).mkdir()
    url = f"http://127.0.0.1:{port}"
    return subprocess.Popen(
        [sys.executable, "-m", "worldwire", "run", "--db", str(tmp / name / "ww.db"),
         "--sources", str(sources), "--port", str(port), "--allow-net", "127.0.0.1",
         "--public-url", url],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


async def api(http: aiohttp.ClientSession, url: str) -> object:
    try:
        async with http.get(url) as r:
            return await r.json() if r.status == 200 else None
    except aiohttp.ClientError:
        return None


@pytest.mark.slow
async def test_a_worldwire_subscribes_to_another_worldwires_query_feed(tmp_path: Path) -> None:
    async with (
        World(push_world(sites=2, push_fraction=0.0)) as world,
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http,
    ):
        (tmp_path / "world.opml").write_text(world.opml())
        port_a, port_b = free_port(), free_port()
        topic = f"http://127.0.0.1:{port_a}/feeds/search.atom?q=Grindavik"
        (tmp_path / "b.opml").write_text(
            '<?xml version="1.0"?><opml version="2.0"><head><title>B</title></head><body>'
            f'<outline type="rss" text="A: Grindavik" xmlUrl={quoteattr(topic)}/></body></opml>'
        )
        a = start(tmp_path, "a", tmp_path / "world.opml", port_a)
        b = start(tmp_path, "b", tmp_path / "b.opml", port_b)
        try:

            async def b_push() -> dict[str, object] | None:
                found = await api(http, f"http://127.0.0.1:{port_b}/api/sources")
                if not isinstance(found, dict) or not found["items"]:
                    return None
                source = found["items"][0]
                push: dict[str, object] = source["push"]
                # B polls once more after the subscription is verified (to catch what
                # was published before it); only then is push alone in charge, and a
                # poll racing the push is no longer possible.
                backup = source["health"]["interval_s"] > 60
                return push if push["state"] == "active" and backup else None

            push = await until(b_push, timeout=60, step=0.2)
            assert push["hub"] == f"http://127.0.0.1:{port_a}/hub"
            assert push["topic"] == topic

            record = await world.publish(world.sites[0].id, title=TITLE, paragraphs=(TEXT,))

            async def b_has_it() -> bool:
                found = await api(http, f"http://127.0.0.1:{port_b}/api/articles?q=Grindavik")
                return isinstance(found, dict) and bool(found["items"])

            await until(b_has_it, timeout=15, step=0.1)
        finally:
            for proc in (a, b):
                proc.send_signal(signal.SIGTERM)
            for proc in (a, b):
                proc.wait(timeout=60)
        assert a.returncode == 0 and b.returncode == 0

    ((seen_at, url),) = rows(tmp_path / "b" / "ww.db", "SELECT seen_at, url FROM articles")
    assert url == record.url  # B's entry links out to the outlet, as A's feed does
    ((pushed, polled),) = rows(
        tmp_path / "b" / "ww.db", "SELECT push_arrivals, poll_arrivals FROM source_push"
    )
    assert (pushed, polled) == (1, 0)
    stories = rows(
        tmp_path / "a" / "ww.db",
        "SELECT created_at, data FROM events WHERE kind LIKE 'story.%' ORDER BY id",
    )
    gained_at = next(at for at, data in stories if b"Grindavik" in data)
    # Pushed as A gained it, not polled later (`python -m bench latency` times it).
    assert gained_at <= seen_at
