"""The news desk: what happens to an article once it is stored. It is understood from
the feed's text and placed in a story at once; then its page is read (fetched and
extracted in the process pool), and it is understood and placed again. Copies of one
URL from several feeds are caught before any fetch."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import orjson

from worldwire.cluster import Clusterer, Doc
from worldwire.errors import FetchError, StoreError
from worldwire.model import Article, Entry, Source
from worldwire.parse.dates import parse_date
from worldwire.reading import PageReader
from worldwire.settings import Settings
from worldwire.store import ArticleUpdate, Store, Upserted
from worldwire.understand import FEED_TEXT_CHARS, Reading, Understood, read_text, warm_up

log = logging.getLogger("worldwire.desk")


class Desk:
    def __init__(self, store: Store, settings: Settings, reader: PageReader | None) -> None:
        self.store = store
        self.settings = settings
        self.reader = reader
        self.clusterer = Clusterer()
        self._profiles: dict[str, dict[str, object]] = {}
        self._dirty: set[str] = set()
        self._queue: asyncio.Queue[tuple[int, Source, bool]] = asyncio.Queue(settings.read_backlog)
        self._workers: list[asyncio.Task[None]] = []
        self._warming: asyncio.Task[None] | None = None

    # -- lifecycle ---------------------------------------------------------------

    async def start(self, sources: Sequence[Source]) -> None:
        """Relearn recent stories, then pick up what a stopped process left undone."""
        # The language model and gazetteer load in about a second: not on the first poll.
        await asyncio.to_thread(warm_up)
        self.clusterer = Clusterer(next_story_id=await self.store.max_story_id() + 1)
        since = time.time() - self.settings.cluster_restore_hours * 3600
        recent = await self.store.recent_articles(since, self.settings.cluster_restore_max)
        by_id = {s.id: s for s in sources}
        unplaced: list[Article] = []
        for article in recent:
            if article.story_id is None:
                unplaced.append(article)
            else:
                self.clusterer.restore(
                    _doc(article, by_id.get(article.source_id)),
                    article.story_id,
                    article.duplicate_of,
                )
        for source_id, group in _by_source(unplaced).items():
            source = by_id.get(source_id)
            if source is not None:
                await self._place_new(source, [(a.id, _entry_of(a)) for a in group])
        if self.reader is not None:
            # Workers load their models in the background: polling need not wait.
            self._warming = asyncio.create_task(self.reader.start())
            self._profiles = {
                host: orjson.loads(raw) for host, raw in (await self.store.site_profiles()).items()
            }
            for _ in range(self.settings.read_concurrency):
                self._workers.append(asyncio.create_task(self._read_loop()))
            for article in await self.store.pending_reads(since, self.settings.read_backlog):
                source = by_id.get(article.source_id)
                if source is not None:
                    self._queue.put_nowait((article.id, source, bool(source.full_text)))
        log.info(
            "desk ready",
            extra={
                "stories": self.clusterer.live_stories,
                "articles": self.clusterer.live_articles,
                "pending_reads": self._queue.qsize(),
            },
        )

    async def stop(self) -> None:
        """Stop reading; unread pages stay pending in the store for the next start."""
        tasks = [*self._workers, *([self._warming] if self._warming else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._workers.clear()
        await self._save_profiles()

    async def ready(self) -> None:
        """Wait until the extraction workers have started (benchmarks time from here)."""
        if self._warming is not None:
            await self._warming

    async def idle(self) -> None:
        """Wait until every queued page has been read (tests and benchmarks)."""
        await self._queue.join()

    # -- new articles ------------------------------------------------------------

    async def publish(
        self,
        source: Source,
        entries: Sequence[Entry],
        upserted: Sequence[Upserted],
        full_text: bool,
    ) -> None:
        """New articles: place them in stories now, and queue their pages for reading."""
        by_key = {e.key: e for e in entries}
        new = [(u.article_id, by_key[u.key]) for u in upserted if u.is_new]
        if not new:
            return
        to_read = await self._place_new(source, new)
        if self.reader is not None:
            for article_id in to_read:
                await self._queue.put((article_id, source, full_text))  # backpressure

    async def _place_new(self, source: Source, new: Sequence[tuple[int, Entry]]) -> list[int]:
        copies_of = await self.store.articles_by_url([e.url for _, e in new])
        updates: list[ArticleUpdate] = []
        to_read: list[int] = []
        for article_id, entry in new:
            reading = read_text(
                entry.title,
                (entry.content or entry.summary)[:FEED_TEXT_CHARS],
                declared_language=entry.language or _only(source.languages),
                source_country=source.country,
                categories=entry.categories,
                url=entry.url,
            )
            doc = Doc(
                article_id,
                entry.title,
                entry.content or entry.summary,
                entry.url,
                source.name,
                entry.published or time.time(),
                reading.language,
                reading.countries,
            )
            original = copies_of.get(entry.url)
            if (
                original is not None
                and original.id != article_id
                and original.story_id is not None
                and original.source_id != source.id
            ):
                # The same URL from another feed: a copy, known without fetching anything.
                self.clusterer.restore(doc, original.story_id, original.id)
                updates.append(
                    _update(
                        article_id,
                        reading,
                        original.story_id,
                        original.id,
                        None,
                        extract_status="copy",
                    )
                )
                continue
            placed = self.clusterer.add(doc)
            updates.append(
                _update(
                    article_id, reading, placed.story_id, placed.duplicate_of, placed.representative
                )
            )
            to_read.append(article_id)
        await self.store.apply_updates(updates)
        return to_read

    # -- reading pages ------------------------------------------------------------

    async def _read_loop(self) -> None:
        while True:
            article_id, source, full_text = await self._queue.get()
            try:
                await self.read_article(article_id, source, full_text)
            except StoreError as exc:
                log.error("cannot store a read article: %s", exc, extra={"article_id": article_id})
            except Exception:  # a bug must not stop the desk: the article keeps its feed text
                log.exception("reading crashed", extra={"article_id": article_id})
                with contextlib.suppress(StoreError):
                    await self.store.apply_updates(
                        [ArticleUpdate(article_id, extract_status="failed: internal error")]
                    )
            finally:
                self._queue.task_done()

    async def read_article(self, article_id: int, source: Source, full_text: bool) -> None:
        """Read one article's whole text (from the feed, or its page) and place it again."""
        assert self.reader is not None
        article = await self.store.get_article(article_id)
        if article is None or article.extract_status:
            return
        declared = article.language or _only(source.languages)
        doc = Doc(
            article.id,
            article.title,
            "",
            article.url,
            source.name,
            article.published_at or article.seen_at,
        )
        extra: dict[str, object] = {}
        if full_text and len(article.text) > len(article.summary):
            status = "feed"
            understood: Understood | None = await self.reader.understand(
                dataclasses.replace(doc, text=article.text),
                declared_language=declared,
                source_country=source.country,
                categories=article.categories,
            )
        else:
            host = urlsplit(article.url).netloc
            try:
                page = await self.reader.read_page(
                    article.url,
                    self._profiles.get(host),
                    doc=doc,
                    declared_language=declared,
                    source_country=source.country,
                    categories=article.categories,
                )
            except FetchError as exc:
                await self.store.apply_updates(
                    [ArticleUpdate(article_id, extract_status=f"failed: {exc}"[:300])]
                )
                return
            if page.profile is not None and page.profile != self._profiles.get(host):
                self._profiles[host] = page.profile
                self._dirty.add(host)
            understood, status, extraction = page.understood, page.status, page.extraction
            extra = {
                "title": None if article.title else extraction.title or None,
                "author": extraction.author or None,
                "image": extraction.image or None,
                "published_at": None if article.published_at else parse_date(extraction.published),
            }
        if understood is None:  # a paywall or an empty page: the feed text stays
            await self.store.apply_updates([ArticleUpdate(article_id, extract_status=status)])
            return
        placed = self.clusterer.revise(understood.doc, understood.prepared)
        await self.store.apply_updates(
            [
                _update(
                    article_id,
                    understood.reading,
                    placed.story_id,
                    placed.duplicate_of,
                    placed.representative,
                    text=understood.doc.text,
                    extract_status=status,
                    **extra,
                )
            ]
        )
        if len(self._dirty) >= 20:
            await self._save_profiles()

    async def _save_profiles(self) -> None:
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, set()
        await self.store.save_site_profiles(
            {host: orjson.dumps(self._profiles[host]).decode() for host in dirty}
        )


def _update(
    article_id: int,
    reading: Reading,
    story_id: int,
    duplicate_of: int | None,
    representative: int | None,
    **fields: Any,
) -> ArticleUpdate:
    update = ArticleUpdate(
        article_id,
        story_id=story_id,
        duplicate_of=duplicate_of,
        representative=representative,
        language=reading.language or None,
        countries=reading.countries,
        topics=reading.topics,
    )
    return dataclasses.replace(update, **fields)


def _only(languages: Sequence[str]) -> str:
    return languages[0] if len(languages) == 1 else ""


def _doc(article: Article, source: Source | None) -> Doc:
    return Doc(
        article.id,
        article.title,
        article.text or article.summary,
        article.url,
        source.name if source else "",
        article.published_at or article.seen_at,
        article.language,
        article.countries,
    )


def _entry_of(article: Article) -> Entry:
    return Entry(
        key=article.key,
        url=article.url,
        title=article.title,
        published=article.published_at,
        summary=article.summary,
        content=article.text,
        categories=article.categories,
        language=article.language,
    )


def _by_source(articles: Sequence[Article]) -> dict[int, list[Article]]:
    groups: dict[int, list[Article]] = {}
    for article in articles:
        groups.setdefault(article.source_id, []).append(article)
    return groups
