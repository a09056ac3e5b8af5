"""What a site publishes next: the editorial engine of the world.

- Events run a few at a time (per kind: full-text articles, headline briefs). A
  site that writes its own story takes an unused text of a running event, so
  several sites cover the same event in their own words, close together in time.
- Wire sites only write their own stories. Other English sites republish a recent
  wire story (with edits) at `syndication_rate`.
- Sites in other languages publish the hand-written reports in their language,
  first those of events that have just started running in English.
- When a kind's events are all used, they run again: a text published twice is
  recorded as `recycled`, a copy of its first publication.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from worldwire.sim import edits
from worldwire.sim.config import WorldConfig
from worldwire.sim.corpus import Corpus, Text
from worldwire.sim.items import Item
from worldwire.sim.sites import Site


@dataclass(frozen=True, slots=True)
class Draft:
    title: str
    paragraphs: tuple[str, ...]
    lang: str
    event: str
    corpus_id: str | None
    relation: str  # original, syndicated or recycled
    original: Item | None
    edits: tuple[str, ...] = ()
    brief: bool = False
    author: str | None = None
    page: Path | None = None


class _EventStream:
    """Events of one kind, `active` at a time; each yields its texts in random order."""

    def __init__(
        self, events: dict[str, tuple[Text, ...]], active: int, rng: random.Random
    ) -> None:
        self._events = events
        self._rng = rng
        self._queue: list[str] = []
        self.started: list[str] = []  # events started since the newsroom last looked
        self._active = [self._start_next() for _ in range(min(active, len(events)))]

    def take(self) -> Text:
        slot = self._rng.randrange(len(self._active))
        _, remaining = self._active[slot]
        text = remaining.pop()
        if not remaining:
            self._active[slot] = self._start_next()
        return text

    def _start_next(self) -> tuple[str, list[Text]]:
        if not self._queue:
            self._queue = sorted(self._events)
            self._rng.shuffle(self._queue)
        event = self._queue.pop()
        texts = list(self._events[event])
        self._rng.shuffle(texts)
        self.started.append(event)
        return event, texts


class Newsroom:
    def __init__(
        self,
        corpus: Corpus,
        cfg: WorldConfig,
        sites: Sequence[Site],
        real_pages: Sequence[Text] = (),
    ) -> None:
        self._cfg = cfg
        self._site_names = [site.name for site in sites]
        self._rng = random.Random(cfg.seed * 7919 + 1)
        self._articles = _EventStream(corpus.articles, cfg.active_events, self._rng)
        self._headlines = _EventStream(corpus.headlines, cfg.active_events, self._rng)
        self._reports = corpus.reports
        self._real_pages = deque(real_pages)
        self._fresh_reports: dict[str, deque[Text]] = {lang: deque() for lang in corpus.reports}
        self._first_use: dict[str, Item] = {}
        self._wire: deque[Item] = deque()
        self._copied: dict[str, set[int]] = {}

    def draft(self, site: Site, world_now: float) -> Draft:
        if site.lang != "en" and site.lang in self._reports:
            return self._report(site.lang)
        if site.role != "wire" and self._rng.random() < self._cfg.syndication_rate:
            wire_item = self._pick_wire(site, world_now)
            if wire_item is not None:
                return self._copy(site, wire_item)
        if self._real_pages and self._rng.random() < self._cfg.real_page_fraction:
            self._real_pages.rotate(-1)
            return self._from_text(self._real_pages[-1])
        stream = (
            self._articles if self._rng.random() < self._cfg.article_fraction else self._headlines
        )
        return self._from_text(stream.take())

    def copy_of(self, site: Site, item: Item) -> Draft:
        """An edited copy of `item` (for World.publish(copy_of=...))."""
        return self._copy(site, item)

    def register(self, item: Item, site: Site) -> None:
        """Remember a published item: first uses of texts, and the wire pool."""
        if item.corpus_id and item.relation == "original":
            self._first_use.setdefault(item.corpus_id, item)
        if site.role == "wire" and item.relation != "syndicated":
            self._wire.append(item)
            self._copied[item.id] = set()

    def _from_text(self, text: Text) -> Draft:
        self._queue_reports()
        first = self._first_use.get(text.id)
        paragraphs = text.paragraphs or (_brief(text.title),)
        return Draft(
            text.title,
            paragraphs,
            text.lang,
            text.event,
            text.id,
            "recycled" if first else "original",
            first,
            brief=not text.paragraphs,
            page=text.page,
        )

    def _report(self, lang: str) -> Draft:
        self._queue_reports()
        fresh = self._fresh_reports[lang]
        text = fresh.popleft() if fresh else self._rng.choice(self._reports[lang])
        return self._from_text(text)

    def _queue_reports(self) -> None:
        # Reports follow the English coverage of their event.
        for event in self._articles.started:
            for lang, reports in self._reports.items():
                self._fresh_reports[lang].extend(r for r in reports if r.event == event)
        self._articles.started.clear()

    def _pick_wire(self, site: Site, world_now: float) -> Item | None:
        while self._wire and self._wire[0].world_time < world_now - self._cfg.syndication_window:
            self._copied.pop(self._wire.popleft().id, None)
        # A few random tries rather than a scan: the pool can hold thousands.
        for _ in range(4 if self._wire else 0):
            item = self._wire[self._rng.randrange(len(self._wire))]
            if item.lang == site.lang and site.id not in self._copied[item.id]:
                self._copied[item.id].add(site.id)
                return item
        return None

    def _copy(self, site: Site, item: Item) -> Draft:
        title, paragraphs, made = edits.republish(
            item.title,
            item.paragraphs,
            site_name=site.name,
            city=site.city,
            wire_name=self._site_names[item.site_id],
            rng=self._rng,
        )
        return Draft(
            title,
            paragraphs,
            item.lang,
            item.event,
            item.corpus_id,
            "syndicated",
            item.original or item,
            made,
            item.brief,
            author=item.author,
        )


def _brief(title: str) -> str:
    return title if title.endswith((".", "!", "?", "…")) else title + "."
