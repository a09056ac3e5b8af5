"""The live stream's side of the event log: each event is prepared once (its SSE frame
serialised, a story's card rendered, what filters need extracted) and shared by
every reader; readers wait on one shared future that a single watcher resolves
after each publish (and after each silence, for keep-alives).

Per reader and event the work is a dict lookup, a filter test and a write: no
scan, no serialisation, no store read (except one FTS check per distinct search
and event, shared by every reader following that search)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from worldwire.bus import EventBus
from worldwire.model import Event
from worldwire.store import Store
from worldwire.web.cards import Card, SourceDirectory, cards
from worldwire.web.filters import Filters

STORE_PAGE = 500
MEMO = 8192
STORY_EVENTS = ("story.new", "story.updated")
KINDS = (*STORY_EVENTS, "article.new")
COALESCE = 0.01  # seconds


@dataclass(slots=True, frozen=True)
class Prepared:
    id: int
    kind: str
    created_at: float
    frame: bytes  # "id: …\nevent: …\ndata: …\n\n"
    article_ids: tuple[int, ...]
    source_ids: frozenset[int]
    countries: frozenset[str]
    languages: frozenset[str]
    topics: frozenset[str]


def frame(event_id: int, kind: str, data: bytes) -> bytes:
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (event_id, kind.encode(), data)


class Matcher:
    """One reader's filters, ready to test prepared events."""

    def __init__(
        self, filters: Filters, hub: StreamHub, kinds: frozenset[str] = frozenset()
    ) -> None:
        self.hub = hub
        self.kinds = kinds  # empty: every kind
        self.q = filters.q
        self.countries = frozenset(filters.effective_countries())
        self.languages = frozenset(filters.languages)
        self.topics = frozenset(filters.topics)
        self.source_id = filters.source_id
        # Times do not filter a live stream: what arrives is new.
        self.everything = not (
            self.q or self.countries or self.languages or self.topics or self.source_id
        )

    async def __call__(self, item: Prepared) -> bool:
        if self.kinds and item.kind not in self.kinds:
            return False
        if self.everything:
            return True
        if self.source_id is not None and self.source_id not in item.source_ids:
            return False
        if self.countries and self.countries.isdisjoint(item.countries):
            return False
        if self.languages and self.languages.isdisjoint(item.languages):
            return False
        if self.topics and self.topics.isdisjoint(item.topics):
            return False
        return not self.q or await self.hub.search_matches(self.q, item)


class StreamHub:
    def __init__(
        self,
        store: Store,
        bus: EventBus,
        directory: SourceDirectory,
        render_card: Callable[[Card], str],
        keepalive: float = 15.0,
    ) -> None:
        self.store = store
        self.bus = bus
        self.directory = directory
        self.render_card = render_card
        self.keepalive = keepalive
        self._memo: OrderedDict[int, Prepared] = OrderedDict()
        self._lock = asyncio.Lock()
        self._searches: OrderedDict[tuple[str, int], bool] = OrderedDict()
        # Readers mostly ask for the same thing after each publish: answer it once.
        self._recent: dict[int, asyncio.Future[list[Prepared]]] = {}
        self._recent_at = -1
        self._tick: asyncio.Future[str] | None = None
        self._watcher: asyncio.Task[None] | None = None
        self.clients = 0

    # -- readers ----------------------------------------------------------------

    async def after(self, cursor: int) -> tuple[list[Prepared], int]:
        """Prepared events after `cursor` (from memory when it reaches back that far),
        and the cursor to continue from."""
        last_id = self.bus.last_id
        if self._recent_at != last_id:
            self._recent, self._recent_at = {}, last_id
        pending = self._recent.get(cursor)
        if pending is None:
            # Single flight: the readers woken together share one answer.
            pending = asyncio.ensure_future(self._after(cursor))
            self._recent[cursor] = pending
        found = await asyncio.shield(pending)
        if found:
            return found, found[-1].id
        # Everything up to last_id was committed before it was published: if none of
        # it is left, it was pruned, and there is nothing to wait for.
        return found, max(cursor, last_id)

    async def _after(self, cursor: int) -> list[Prepared]:
        events = self.bus.recent_after(cursor)
        if events is None:
            events = await self.store.events_after(cursor, STORE_PAGE)
        return await self._prepare(events[:STORE_PAGE])

    def join(self) -> None:
        self.clients += 1
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.get_running_loop().create_task(self._watch())

    def leave(self) -> None:
        self.clients -= 1
        if self.clients <= 0 and self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None

    def tick(self) -> asyncio.Future[str]:
        """The one future every waiting reader shares: the watcher resolves it with
        "event" after a publish, or "keepalive" after a silence. Readers hang a
        callback on it rather than await it, so that no reader can cancel it."""
        if self._tick is None or self._tick.done():
            self._tick = asyncio.get_running_loop().create_future()
        return self._tick

    async def _watch(self) -> None:
        seen = self.bus.last_id
        while True:
            try:
                await asyncio.wait_for(self.bus.wait_after(seen), self.keepalive)
            except TimeoutError:
                self._fire("keepalive")
                continue
            # An article and its story commit a moment apart, and a feed brings many
            # at once: one wake-up for them all halves the work and costs this much.
            await asyncio.sleep(COALESCE)
            seen = self.bus.last_id
            self._fire("event")

    def _fire(self, reason: str) -> None:
        tick, self._tick = self._tick, None
        if tick is not None and not tick.done():
            tick.set_result(reason)

    async def search_matches(self, q: str, item: Prepared) -> bool:
        key = (q, item.id)
        found = self._searches.get(key)
        if found is None:
            found = bool(await self.store.fts_matches(q, item.article_ids))
            self._searches[key] = found
            while len(self._searches) > MEMO:
                self._searches.popitem(last=False)
        return found

    # -- preparing events once ----------------------------------------------------

    async def _prepare(self, events: Sequence[Event]) -> list[Prepared]:
        if any(e.id not in self._memo for e in events):
            async with self._lock:
                missing = [e for e in events if e.id not in self._memo]
                if missing:
                    for item in await self._prepare_batch(missing):
                        self._memo[item.id] = item
                    while len(self._memo) > MEMO:
                        self._memo.popitem(last=False)
        # A batch larger than the memo could have pushed its own head out: rebuild.
        found = [self._memo.get(e.id) for e in events]
        if any(p is None for p in found):
            return await self._prepare_batch(events)
        return [p for p in found if p is not None]

    async def _prepare_batch(self, events: Sequence[Event]) -> list[Prepared]:
        payloads: list[dict[str, Any]] = []
        for event in events:
            try:
                data = orjson.loads(event.data)
            except orjson.JSONDecodeError:
                data = {}
            payloads.append(data if isinstance(data, dict) else {})
        story_ids = sorted(
            {
                int(p["story_id"])
                for e, p in zip(events, payloads, strict=True)
                if e.kind in STORY_EVENTS and isinstance(p.get("story_id"), int)
            }
        )
        html: dict[int, str] = {}
        if story_ids:
            stories = await self.store.get_stories(story_ids)
            for card in await cards(self.store, self.directory, stories):
                html[card.story.id] = self.render_card(card)
        sources = await self.directory.all()
        prepared = []
        for event, payload in zip(events, payloads, strict=True):
            source_ids = _ints(payload.get("source_ids")) or _ints([payload.get("source_id")])
            countries = set(_strs(payload.get("countries")))
            for sid in source_ids:
                with contextlib.suppress(KeyError):
                    if sources[sid].country:
                        countries.add(sources[sid].country)
            languages = _strs(payload.get("languages")) or _strs([payload.get("language")])
            article_ids = _ints(payload.get("article_ids")) or _ints([payload.get("article_id")])
            if "urls" not in payload and isinstance(payload.get("url"), str):
                payload["urls"] = [payload["url"]]
            story_id = payload.get("story_id")
            if event.kind in STORY_EVENTS and isinstance(story_id, int) and story_id in html:
                payload["html"] = html[story_id]
            prepared.append(
                Prepared(
                    id=event.id,
                    kind=event.kind,
                    created_at=event.created_at,
                    frame=frame(event.id, event.kind, orjson.dumps(payload)),
                    article_ids=tuple(article_ids),
                    source_ids=frozenset(source_ids),
                    countries=frozenset(countries),
                    languages=frozenset(languages),
                    topics=frozenset(_strs(payload.get("topics"))),
                )
            )
        return prepared


def _ints(value: object) -> list[int]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, int) and not isinstance(v, bool)]


def _strs(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str) and v]
