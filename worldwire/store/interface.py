"""The Store interface: everything the pipeline, scheduler, web and CLI may ask of
storage. SQL lives behind it, so a PostgreSQL backend can follow without touching
the stages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from worldwire.model import Article, Entry, Event, Source, SourceSpec, Story
from worldwire.websub.state import HubSubscription, PushState

T = TypeVar("T")


@dataclass(slots=True)
class PollOutcome:
    """Everything one poll changes on its source row, written in one statement."""

    source_id: int
    owner: str
    fetched_at: float
    next_check_at: float
    interval: float
    status: int | None = None
    error: str = ""  # "" for success
    error_count: int = 0
    etag: str | None = None  # None: keep what is stored
    last_modified: str | None = None
    elapsed_ms: float | None = None
    avg_gap: float | None = None
    last_new_at: float | None = None
    new_items: int = 0
    full_text: bool | None = None  # learnt from the feed when the source says "auto"


@dataclass(slots=True)
class Upserted:
    article_id: int
    key: str
    is_new: bool
    changed: bool


@dataclass(slots=True)
class ArticleUpdate:
    """What reading and understanding learnt about a stored article. None leaves a
    field as it is; a story_id puts the article in that story (made if new)."""

    article_id: int
    story_id: int | None = None
    duplicate_of: int | None = None
    representative: int | None = None  # article whose headline and lead the story shows
    language: str | None = None
    countries: tuple[str, ...] | None = None
    topics: tuple[str, ...] | None = None
    title: str | None = None
    text: str | None = None
    author: str | None = None
    image: str | None = None
    published_at: float | None = None
    extract_status: str | None = None
    fingerprint: bytes | None = None


# Until everything says ArticleUpdate: the name the first pipeline used.
StoryAssignment = ArticleUpdate


@dataclass(slots=True)
class ArticleQuery:
    source_id: int | None = None
    countries: tuple[str, ...] = ()  # any of these (about, or outlet's home)
    languages: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    since: float | None = None
    until: float | None = None
    q: str = ""  # full-text query (FTS5 syntax after web-side translation)
    story_id: int | None = None
    limit: int = 50
    cursor: str = ""


@dataclass(slots=True)
class StoryQuery:
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    source_id: int | None = None
    since: float | None = None
    until: float | None = None
    q: str = ""
    limit: int = 50
    cursor: str = ""


@dataclass(slots=True)
class SearchHit:
    """An article found by full-text search, with the matched words marked in its
    title and in a short snippet of its body (see `MARK_OPEN` and `MARK_CLOSE`)."""

    article: Article
    title: str
    snippet: str


# Private-use characters around matched words: the web layer escapes the text first,
# then turns them into <mark> tags, so no stored text can smuggle markup through.
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"


@dataclass(slots=True)
class Page(Generic[T]):
    items: list[T] = field(default_factory=list)
    next: str | None = None


class Store(Protocol):
    # lifecycle
    async def close(self) -> None: ...

    # sources
    async def add_sources(self, specs: Sequence[SourceSpec]) -> list[int]: ...
    async def sync_sources(self, specs: Sequence[SourceSpec]) -> tuple[int, int]: ...
    async def remove_source(self, source_id: int) -> bool: ...
    async def list_sources(self) -> list[Source]: ...
    async def get_source(self, source_id: int) -> Source | None: ...
    async def claim_due(self, owner: str, now: float, limit: int, lease: float) -> list[Source]: ...
    async def next_check_at(self, now: float) -> float | None: ...
    async def record_poll(self, outcome: PollOutcome) -> bool: ...
    async def release_leases(self, owner: str) -> None: ...

    # articles and stories
    async def upsert_entries(
        self, source: Source, entries: Sequence[Entry], seen_at: float
    ) -> list[Upserted]: ...
    async def assign_stories(self, assignments: Sequence[ArticleUpdate]) -> None: ...
    async def apply_updates(self, updates: Sequence[ArticleUpdate]) -> None: ...
    async def recent_articles(self, since: float, limit: int) -> list[Article]: ...
    async def pending_reads(self, since: float, limit: int) -> list[Article]: ...
    async def articles_by_url(self, urls: Sequence[str]) -> dict[str, Article]: ...
    async def site_profiles(self) -> dict[str, str]: ...
    async def save_site_profiles(self, profiles: dict[str, str]) -> None: ...
    async def get_article(self, article_id: int) -> Article | None: ...
    async def query_articles(self, query: ArticleQuery) -> Page[Article]: ...
    async def get_story(self, story_id: int) -> Story | None: ...
    async def query_stories(self, query: StoryQuery) -> Page[Story]: ...
    async def max_story_id(self) -> int: ...
    async def find_article_by_url(self, url: str) -> Article | None: ...

    # reads for the web
    async def get_stories(self, story_ids: Sequence[int]) -> list[Story]: ...
    async def story_articles(
        self, story_ids: Sequence[int], per_story: int | None = None
    ) -> dict[int, list[Article]]: ...
    async def search_articles(self, query: ArticleQuery) -> Page[SearchHit]: ...
    async def fts_matches(self, q: str, article_ids: Sequence[int]) -> set[int]: ...

    # events
    async def events_after(self, event_id: int, limit: int = 500) -> list[Event]: ...
    async def last_event_id(self) -> int: ...
    async def prune_events(self, before: float) -> int: ...

    # push (WebSub): sources' subscriptions, and the subscribers of our own hub
    async def push_states(self) -> list[PushState]: ...
    async def save_push_state(self, state: PushState) -> None: ...
    async def delete_push_state(self, source_id: int) -> None: ...
    async def push_on_disabled_sources(self) -> list[int]: ...
    async def poll_soon(self, source_id: int, at: float) -> None: ...
    async def record_arrivals(
        self, source_id: int, at: float, new_items: int, avg_gap: float | None
    ) -> None: ...
    async def hub_subscriptions(self) -> list[HubSubscription]: ...
    async def save_hub_subscription(self, sub: HubSubscription) -> None: ...
    async def delete_hub_subscription(self, topic: str, callback: str) -> None: ...
