"""The push to live readers: a write that cannot finish at once goes on by itself,
and a slow reader catches up on its own without losing or repeating an event."""

from __future__ import annotations

import asyncio
import re
import socket
import time

import orjson

from worldwire.model import Entry
from worldwire.store import ArticleUpdate
from worldwire.web.fanout import drive

from .conftest import Site


async def test_drive_runs_a_coroutine_that_finishes_at_once() -> None:
    done: list[str] = []

    async def quick() -> None:
        done.append("ran")

    assert drive(quick(), lambda: done.append("callback"))
    assert done == ["ran"]


async def test_drive_resumes_a_coroutine_that_waits() -> None:
    gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    done: list[str] = []

    async def slow() -> None:
        await gate
        await asyncio.sleep(0)
        done.append("ran")

    assert not drive(slow(), lambda: done.append("callback"))
    assert done == []
    gate.set_result(None)
    for _ in range(5):
        await asyncio.sleep(0)
    assert done == ["ran", "callback"]


def publish_batch(site: Site, n: int, tag: str) -> list[int]:
    """n stories at once, with long headlines so that the events are big."""
    source = site.sources["bbc"]
    now = time.time()
    entries = [
        Entry(key=f"{tag}-{i}", url=f"https://bbc.example/{tag}/{i}",
              title=f"{tag} {i} " + "long-headline " * 300, published=now)
        for i in range(n)
    ]  # fmt: skip

    async def run() -> list[int]:
        upserted = await site.store.upsert_entries(source, entries, now)
        ids = [u.article_id for u in upserted]
        await site.store.assign_stories(
            [ArticleUpdate(i, i, None, i, countries=("GB",)) for i in ids]
        )
        return ids

    return site.loop.run(run())


def slow_readers(site: Site) -> int:
    text = site.get("/metrics").text
    found = re.search(r"^worldwire_stream_slow_readers_total (\d+)$", text, re.M)
    assert found is not None
    return int(found.group(1))


def test_a_slow_reader_catches_up_without_loss(site: Site) -> None:
    port = int(site.url.rsplit(":", 1)[1])
    sock = socket.socket()
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", port))
        sock.sendall(b"GET /api/stream?kinds=story.new HTTP/1.1\r\nHost: x\r\n\r\n")
        data = read_after_a_flood(site, sock)
    finally:
        sock.close()
    got = [orjson.loads(line[6:])["story_id"] for line in re.findall(rb"data: \{[^\n]*", data)]
    assert got == sorted(got)
    assert len(got) == len(set(got)), "no event twice"
    assert set(got) >= set(PUBLISHED), "no event lost"


PUBLISHED: list[int] = []


def read_after_a_flood(site: Site, sock: socket.socket) -> bytes:
    sock.settimeout(10)
    hello = b""
    while b": connected" not in hello:  # the stream's cursor is set: nothing after is missed
        chunk = sock.recv(4096)
        assert chunk, "stream closed"
        hello += chunk
    before = slow_readers(site)
    for batch in range(60):
        PUBLISHED.extend(publish_batch(site, 50, f"flood{batch}"))
        time.sleep(0.05)
        if slow_readers(site) > before:
            break
    assert slow_readers(site) > before, "the reader's socket never filled"
    PUBLISHED.extend(publish_batch(site, 5, "after"))  # while it is still behind
    data = b""
    wanted = f'event: story.new\ndata: {{"story_id":{PUBLISHED[-1]},'.encode()
    while wanted not in data or not data.endswith(b"\n\n\r\n"):  # the whole last chunk
        chunk = sock.recv(1 << 20)
        assert chunk, "stream closed"
        data += chunk
    return data
