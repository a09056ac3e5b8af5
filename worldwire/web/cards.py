"""What a story looks like on a page: its outlets, lead, tags and how fast we had it,
assembled from the store in one read for a whole page of stories."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from worldwire.model import Article, Source, Story
from worldwire.store import Store
from worldwire.web import places

OUTLETS_ON_CARD = 4
LEAD_CHARS = 280
_SENTENCE = re.compile(r"(.{60,}?[.!?。！？])(\s|$)", re.DOTALL)


def safe_url(url: str) -> str:
    """Only http(s) links go into a page: a feed can say javascript: or data:."""
    lowered = url.strip().lower()
    return url.strip() if lowered.startswith(("https://", "http://")) else ""


def lead_sentence(text: str, limit: int = LEAD_CHARS) -> str:
    """The first sentence (or two short ones), cut at a word if it runs long."""
    text = " ".join(text.split())
    match = _SENTENCE.match(text)
    if match and len(match.group(1)) <= limit:
        return match.group(1)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return (cut if len(cut) > limit // 2 else text[:limit]) + "…"


def seen_after(article: Article) -> float | None:
    """Seconds from the outlet's publication to our first sight of it; None when the
    outlet gave no time or claims one later than ours (a clock off, or a feed lying)."""
    if article.published_at is None:
        return None
    delta = article.seen_at - article.published_at
    return delta if delta >= 0 else None


@dataclass(slots=True)
class Outlet:
    name: str
    country: str
    url: str  # the original article, or "" when its URL is not a web link
    source_id: int


@dataclass(slots=True)
class Card:
    story: Story
    articles: list[Article]
    outlets: list[Outlet]
    more_outlets: int
    lead: str
    language: str
    published_at: float
    seen_after: float | None
    regions: list[tuple[str, str]] = field(default_factory=list)


class SourceDirectory:
    """Every source by id, re-read every few seconds (pages need names and countries;
    the list is small and changes rarely)."""

    def __init__(self, store: Store, ttl: float = 5.0) -> None:
        self.store = store
        self.ttl = ttl
        self._by_id: dict[int, Source] = {}
        self._read_at = -1e9

    async def all(self) -> dict[int, Source]:
        if time.monotonic() - self._read_at > self.ttl:
            self._by_id = {s.id: s for s in await self.store.list_sources()}
            self._read_at = time.monotonic()
        return self._by_id

    async def get(self, source_id: int) -> Source | None:
        found = (await self.all()).get(source_id)
        if found is None:  # added since the last read
            found = await self.store.get_source(source_id)
        return found


def outlet(article: Article, sources: dict[int, Source]) -> Outlet:
    source = sources.get(article.source_id)
    return Outlet(
        name=source.name if source else f"source {article.source_id}",
        country=source.country if source else "",
        url=safe_url(article.url),
        source_id=article.source_id,
    )


def make_card(story: Story, articles: list[Article], sources: dict[int, Source]) -> Card:
    first = articles[0] if articles else None
    outlets: list[Outlet] = []
    seen_sources: set[int] = set()
    for article in articles:
        if article.source_id in seen_sources:
            continue
        seen_sources.add(article.source_id)
        outlets.append(outlet(article, sources))
    shown = outlets[:OUTLETS_ON_CARD]
    regions: dict[str, str] = {}
    for country in story.countries:
        found = places.continent_of(country)
        if found:
            regions.setdefault(*found)
    return Card(
        story=story,
        articles=articles,
        outlets=shown,
        more_outlets=max(0, story.source_count - len(shown)),
        lead=lead_sentence(story.lead),
        language=(story.languages[0] if story.languages else (first.language if first else "")),
        published_at=(
            first.published_at
            if first is not None and first.published_at is not None
            else story.first_seen_at
        ),
        seen_after=seen_after(first) if first is not None else None,
        regions=list(regions.items()),
    )


async def cards(
    store: Store,
    directory: SourceDirectory,
    stories: Sequence[Story],
    per_story: int | None = OUTLETS_ON_CARD * 2,
) -> list[Card]:
    by_story = await store.story_articles([s.id for s in stories], per_story)
    sources = await directory.all()
    return [make_card(s, by_story.get(s.id, []), sources) for s in stories]
