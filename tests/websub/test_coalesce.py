"""Bursts of deliveries for one topic are merged: while one is being stored, the
next ones wait and go in together, each entry once, the latest version winning."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import make_settings
from worldwire.fetch import Fetcher
from worldwire.model import ParsedFeed, Source, SourceSpec
from worldwire.parse import parse_feed
from worldwire.store import SQLiteStore
from worldwire.websub.signature import sign
from worldwire.websub.subscriber import MAX_BODY, Subscriber

HUB = "http://hub.example/"
FEED = "http://news.example/feed.xml"


def rss(*items: tuple[str, str]) -> bytes:
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>http://news.example/{guid}</link>"
        "</item>"
        for guid, title in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>News</title><link>http://news.example/</link>"
        f'<atom:link rel="hub" href="{HUB}"/>{entries}</channel></rss>'
    ).encode()


@dataclass
class Stored:
    key: str
    is_new: bool


class SlowIngest:
    """The pipeline's ingest, as slow as a busy store: each call waits for `go`."""

    def __init__(self) -> None:
        self.calls: list[list[tuple[str, str]]] = []
        self.go = asyncio.Event()
        self.seen: set[str] = set()

    async def __call__(self, source: Source, feed: ParsedFeed, seen_at: float) -> Sequence[Stored]:
        self.calls.append([(e.key, e.title) for e in feed.entries])
        await self.go.wait()
        stored = [Stored(e.key, e.key not in self.seen) for e in feed.entries]
        self.seen.update(e.key for e in feed.entries)
        return stored


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    s = SQLiteStore(str(tmp_path / "ww.db"))
    yield s
    await s.close()


async def test_a_burst_is_merged_into_one_ingest(store: SQLiteStore, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, public_url="http://us.example")
    (source_id,) = await store.add_sources([SourceSpec("News", FEED)])
    source = await store.get_source(source_id)
    assert source is not None
    ingest = SlowIngest()
    async with Fetcher(settings) as fetcher:
        subscriber = Subscriber(store, fetcher, settings, ingest)
        await subscriber.polled(source, parse_feed(rss(), FEED), {}, [], time.time())
        state = subscriber.state_of(source_id)
        assert state is not None and state.hub == HUB and state.topic == FEED
        state.secret = "ab" * 32

        async def deliver(body: bytes) -> int:
            return await subscriber.deliver(state.token, body, sign(state.secret, body))

        assert await deliver(rss(("1", "one"))) == 202
        await asyncio.sleep(0.05)  # the first is being stored: the rest pile up
        for body in (rss(("2", "two"), ("1", "one")), rss(("3", "three")),
                     rss(("2", "two, corrected"))):  # fmt: skip
            assert await deliver(body) == 202
        ingest.go.set()
        await subscriber.close()

    assert ingest.calls == [
        [("1", "one")],
        [("2", "two, corrected"), ("1", "one"), ("3", "three")],
    ]
    assert state.pushes == 4 and state.push_arrivals == 3
    stored = {s.source_id: s for s in await store.push_states()}[source_id]
    assert stored.push_arrivals == 3 and stored.token == state.token


async def test_oversize_and_unknown_tokens(store: SQLiteStore, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, public_url="http://us.example")
    (source_id,) = await store.add_sources([SourceSpec("News", FEED)])
    source = await store.get_source(source_id)
    assert source is not None
    ingest = SlowIngest()
    ingest.go.set()
    async with Fetcher(settings) as fetcher:
        subscriber = Subscriber(store, fetcher, settings, ingest)
        await subscriber.polled(source, parse_feed(rss(), FEED), {}, [], time.time())
        state = subscriber.state_of(source_id)
        assert state is not None
        assert await subscriber.deliver(state.token, None, None) == 413
        assert await subscriber.deliver("not-a-token", b"<rss/>", None) == 410
        await subscriber.close()
    assert state.rejected == 1 and str(MAX_BODY) in state.last_error
    assert ingest.calls == []
