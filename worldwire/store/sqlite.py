"""The SQLite backend: WAL, one writer thread fed by a queue, reads from a pool of
read-only connections on worker threads so the event loop never blocks on I/O."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from worldwire.model import Article, Entry, Event, Source, SourceSpec, Story
from worldwire.store import migrate
from worldwire.store.interface import (
    ArticleQuery,
    ArticleUpdate,
    Page,
    PollOutcome,
    SearchHit,
    StoryQuery,
    Upserted,
)
from worldwire.store.sql import articles, events, push, sites, sources, stories, web_reads
from worldwire.store.writer import Writer
from worldwire.websub.state import HubSubscription, PushState

T = TypeVar("T")
READERS = 4


def _connect(path: str, *, readonly: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA foreign_keys = ON")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    else:
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode survives a killed process; only a power cut can lose the
        # last transactions, never corrupt the file.
        conn.execute("PRAGMA synchronous = NORMAL")
    # Page cache in KiB (negative): the writer gets the most; the readers share hot
    # pages through the OS cache, so each keeps a small one (memory stays bounded).
    conn.execute(f"PRAGMA cache_size = {-8000 if readonly else -32000}")
    return conn


class SQLiteStore:
    def __init__(self, path: str, on_commit: Callable[[list[Event]], None] | None = None) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        setup = _connect(path, readonly=False)
        try:
            migrate.apply(setup)
        finally:
            setup.close()
        self._on_commit = on_commit
        self._writer = Writer(lambda: _connect(path, readonly=False), self._committed)
        self._writer.start()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(READERS, thread_name_prefix="worldwire-read")
        self._pending_polls: list[tuple[PollOutcome, asyncio.Future[bool]]] = []

    def set_on_commit(self, callback: Callable[[list[Event]], None] | None) -> None:
        self._on_commit = callback

    def _committed(self, committed: list[Event]) -> None:
        if self._on_commit is not None:
            self._on_commit(committed)

    # -- plumbing ---------------------------------------------------------------

    def _reader(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path, readonly=True)
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    async def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: fn(self._reader()))

    def read_blocking(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """For CLI commands and tests that run outside an event loop."""
        return self._pool.submit(lambda: fn(self._reader())).result()

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.close_blocking)

    def close_blocking(self) -> None:
        self._writer.close()
        self._pool.shutdown(wait=True)
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()

    # -- sources ----------------------------------------------------------------

    async def add_sources(self, specs: Sequence[SourceSpec]) -> list[int]:
        return await self._writer.call(lambda tx: sources.op_add(tx, specs))

    def add_sources_blocking(self, specs: Sequence[SourceSpec]) -> list[int]:
        return self._writer.call_blocking(lambda tx: sources.op_add(tx, specs))

    async def sync_sources(self, specs: Sequence[SourceSpec]) -> tuple[int, int]:
        return await self._writer.call(lambda tx: sources.op_sync(tx, specs))

    async def remove_source(self, source_id: int) -> bool:
        return await self._writer.call(lambda tx: sources.op_remove(tx, source_id))

    def remove_source_blocking(self, source_id: int) -> bool:
        return self._writer.call_blocking(lambda tx: sources.op_remove(tx, source_id))

    async def list_sources(self) -> list[Source]:
        return await self._read(sources.q_list)

    def list_sources_blocking(self) -> list[Source]:
        return self.read_blocking(sources.q_list)

    async def get_source(self, source_id: int) -> Source | None:
        return await self._read(lambda c: sources.q_get(c, source_id))

    async def claim_due(self, owner: str, now: float, limit: int, lease: float) -> list[Source]:
        return await self._writer.call(
            lambda tx: sources.op_claim_due(tx, owner, now, limit, lease)
        )

    async def next_check_at(self, now: float) -> float | None:
        return await self._read(lambda c: sources.q_next_check_at(c, now))

    async def record_poll(self, outcome: PollOutcome) -> bool:
        """Polls finishing together are written by one writer operation: at thousands
        of polls a second, the per-operation cost is what would limit us."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._pending_polls.append((outcome, future))
        if len(self._pending_polls) == 1:
            loop.call_soon(self._flush_polls)
        return await future

    def _flush_polls(self) -> None:
        batch, self._pending_polls = self._pending_polls, []
        outcomes = [outcome for outcome, _ in batch]
        task = asyncio.ensure_future(
            self._writer.call(lambda tx: [sources.op_record_poll(tx, o) for o in outcomes])
        )

        def deliver(done: asyncio.Future[list[bool]]) -> None:
            error = done.exception()
            for index, (_, future) in enumerate(batch):
                if future.done():
                    continue
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(done.result()[index])

        task.add_done_callback(deliver)

    async def release_leases(self, owner: str) -> None:
        await self._writer.call(lambda tx: sources.op_release(tx, owner))

    # -- articles and stories ---------------------------------------------------

    async def upsert_entries(
        self, source: Source, entries: Sequence[Entry], seen_at: float
    ) -> list[Upserted]:
        return await self._writer.call(
            lambda tx: articles.op_upsert_entries(tx, source, entries, seen_at)
        )

    async def assign_stories(self, assignments: Sequence[ArticleUpdate]) -> None:
        await self.apply_updates(assignments)

    async def apply_updates(self, updates: Sequence[ArticleUpdate]) -> None:
        await self._writer.call(lambda tx: stories.op_apply(tx, updates))

    async def recent_articles(self, since: float, limit: int) -> list[Article]:
        return await self._read(lambda c: articles.q_recent(c, since, limit))

    async def pending_reads(self, since: float, limit: int) -> list[Article]:
        return await self._read(lambda c: articles.q_pending_reads(c, since, limit))

    async def articles_by_url(self, urls: Sequence[str]) -> dict[str, Article]:
        return await self._read(lambda c: articles.q_by_urls(c, urls))

    async def site_profiles(self) -> dict[str, str]:
        return await self._read(sites.q_profiles)

    async def save_site_profiles(self, profiles: dict[str, str]) -> None:
        await self._writer.call(lambda tx: sites.op_save_profiles(tx, profiles))

    async def get_article(self, article_id: int) -> Article | None:
        return await self._read(lambda c: articles.q_get(c, article_id))

    async def find_article_by_url(self, url: str) -> Article | None:
        return await self._read(lambda c: articles.q_find_by_url(c, url))

    async def query_articles(self, query: ArticleQuery) -> Page[Article]:
        return await self._read(lambda c: articles.q_query(c, query))

    async def get_story(self, story_id: int) -> Story | None:
        return await self._read(lambda c: stories.q_get(c, story_id))

    async def query_stories(self, query: StoryQuery) -> Page[Story]:
        return await self._read(lambda c: stories.q_query(c, query))

    async def max_story_id(self) -> int:
        return await self._read(stories.q_max_id)

    # -- reads for the web -------------------------------------------------------

    async def get_stories(self, story_ids: Sequence[int]) -> list[Story]:
        return await self._read(lambda c: web_reads.q_stories(c, story_ids))

    async def story_articles(
        self, story_ids: Sequence[int], per_story: int | None = None
    ) -> dict[int, list[Article]]:
        return await self._read(lambda c: web_reads.q_story_articles(c, story_ids, per_story))

    async def search_articles(self, query: ArticleQuery) -> Page[SearchHit]:
        return await self._read(lambda c: web_reads.q_search(c, query))

    async def fts_matches(self, q: str, article_ids: Sequence[int]) -> set[int]:
        return await self._read(lambda c: web_reads.q_fts_matches(c, q, article_ids))

    # -- events -----------------------------------------------------------------

    async def events_after(self, event_id: int, limit: int = 500) -> list[Event]:
        return await self._read(lambda c: events.q_after(c, event_id, limit))

    async def last_event_id(self) -> int:
        return await self._read(events.q_last_id)

    async def prune_events(self, before: float) -> int:
        return await self._writer.call(lambda tx: events.op_prune(tx, before))

    # -- push (WebSub) ----------------------------------------------------------

    async def push_states(self) -> list[PushState]:
        return await self._read(push.q_push_states)

    async def save_push_state(self, state: PushState) -> None:
        snapshot = dataclasses.replace(state)  # the caller goes on changing its copy
        await self._writer.call(lambda tx: push.op_save_push(tx, snapshot))

    async def delete_push_state(self, source_id: int) -> None:
        await self._writer.call(lambda tx: push.op_delete_push(tx, source_id))

    async def push_on_disabled_sources(self) -> list[int]:
        return await self._read(push.q_push_on_disabled)

    async def poll_soon(self, source_id: int, at: float) -> None:
        await self._writer.call(lambda tx: push.op_poll_soon(tx, source_id, at))

    async def record_arrivals(
        self, source_id: int, at: float, new_items: int, avg_gap: float | None
    ) -> None:
        await self._writer.call(
            lambda tx: push.op_record_arrivals(tx, source_id, at, new_items, avg_gap)
        )

    async def hub_subscriptions(self) -> list[HubSubscription]:
        return await self._read(push.q_hub_subscriptions)

    async def save_hub_subscription(self, sub: HubSubscription) -> None:
        await self._writer.call(lambda tx: push.op_save_hub_subscription(tx, sub))

    async def delete_hub_subscription(self, topic: str, callback: str) -> None:
        await self._writer.call(lambda tx: push.op_delete_hub_subscription(tx, topic, callback))
