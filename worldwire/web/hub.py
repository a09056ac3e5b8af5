"""The live stream's side of the event log: each event is prepared once (its SSE frame
serialised, a story's card rendered, what filters need extracted) and shared by
every reader. No reader scans the log, serialises or reads the store for itself,
except one FTS check per distinct search and event, shared by every reader
following that search. (fanout.py pushes the prepared events to live readers.)"""

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

    def _facets(self, item: Prepared) -> bool:
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
        return not (self.topics and self.topics.isdisjoint(item.topics))

    async def __call__(self, item: Prepared) -> bool:
        if not self._facets(item):
            return False
        return not self.q or await self.hub.search_matches(self.q, item)

    def selects(self, item: Prepared) -> bool | None:
        """The same without waiting: None when the search has not been checked yet
        (see StreamHub.check_searches)."""
        if not self._facets(item):
            return False
        return self.hub.known_match(self.q, item) if self.q else True


class StreamHub:
    def __init__(
        self,
        store: Store,
        bus: EventBus,
        directory: SourceDirectory,
        render_card: Callable[[Card], str],
    ) -> None:
        self.store = store
        self.bus = bus
        self.directory = directory
        self.render_card = render_card
        self._memo: OrderedDict[int, Prepared] = OrderedDict()
        self._lock = asyncio.Lock()
        self._searches: OrderedDict[tuple[str, int], bool] = OrderedDict()
        # Readers mostly ask for the same thing after each publish: answer it once.
        self._recent: dict[int, asyncio.Future[list[Prepared]]] = {}
        self._recent_at = -1

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

    def known_match(self, q: str, item: Prepared) -> bool | None:
        return self._searches.get((q, item.id))

    async def check_searches(self, searches: set[str], items: Sequence[Prepared]) -> None:
        """Check these searches against these events now, so that `Matcher.selects`
        knows the answers."""
        for q in searches:
            for item in items:
                await self.search_matches(q, item)

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
