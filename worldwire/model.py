"""Plain data shared by the stages. No behaviour beyond small derived values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FeedKind = Literal["rss", "atom", "json", "rdf", "sitemap"]
FEED_KINDS: tuple[str, ...] = ("rss", "atom", "json", "rdf", "sitemap")


@dataclass(slots=True)
class SourceSpec:
    """A source as a list describes it, before it is stored."""

    name: str
    feed_url: str
    homepage: str = ""
    country: str = ""  # ISO 3166-1 alpha-2, upper case; "" for international
    languages: tuple[str, ...] = ()  # ISO 639-1 codes
    kind: str = "rss"
    # None: decide from the feed (full text present or not); True/False: forced.
    full_text: bool | None = None
    categories: tuple[str, ...] = ()


@dataclass(slots=True)
class Source:
    """A stored source with its polling state."""

    id: int
    name: str
    feed_url: str
    homepage: str = ""
    country: str = ""
    languages: tuple[str, ...] = ()
    kind: str = "rss"
    full_text: bool | None = None
    enabled: bool = True
    etag: str = ""
    last_modified: str = ""
    interval: float = 0.0
    next_check_at: float = 0.0
    last_fetch_at: float | None = None
    last_status: int | None = None
    last_error: str = ""
    error_count: int = 0
    last_elapsed_ms: float | None = None
    avg_gap: float | None = None  # observed seconds between new items
    last_new_at: float | None = None
    items_seen: int = 0


@dataclass(slots=True)
class FetchResult:
    """What one conditional GET brought back, after redirects and decoding."""

    url: str  # the final URL, after redirects
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    elapsed_ms: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(slots=True)
class Entry:
    """One item of a feed, normalised. Times are UTC epoch seconds."""

    key: str  # stable per-source identity: guid, else canonical URL, else a hash
    url: str  # canonical
    title: str = ""
    guid: str = ""
    published: float | None = None
    updated: float | None = None
    author: str = ""
    summary: str = ""  # plain text
    content: str = ""  # plain text of the full content, when the feed carries it
    categories: tuple[str, ...] = ()
    image: str = ""
    language: str = ""


@dataclass(slots=True)
class ParsedFeed:
    """A parsed feed: its entries, what it says about itself, and what went wrong."""

    kind: str
    title: str = ""
    homepage: str = ""
    language: str = ""
    ttl: float | None = None  # seconds, from RSS <ttl>
    hubs: tuple[str, ...] = ()  # WebSub hubs the feed advertises
    self_url: str = ""
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Article:
    """A stored article: a feed entry, and later what extraction and enrichment added."""

    id: int
    source_id: int
    key: str
    url: str
    title: str = ""
    summary: str = ""
    text: str = ""
    author: str = ""
    language: str = ""
    image: str = ""
    categories: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    duplicate_of: int | None = None
    story_id: int | None = None
    published_at: float | None = None
    updated_at: float | None = None
    seen_at: float = 0.0
    visible_at: float | None = None
    extract_status: str = ""  # "", "ok", "failed: …", "skipped", "paywall"


@dataclass(slots=True)
class Story:
    """One event, told by one or more articles."""

    id: int
    headline: str
    lead: str = ""
    article_id: int | None = None  # the representative article
    first_seen_at: float = 0.0
    last_seen_at: float = 0.0
    article_count: int = 1
    source_count: int = 1
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(slots=True)
class Event:
    """One line of the append-only event log that the stream and hubs read."""

    id: int
    kind: str  # story.new, story.updated, article.new, …
    data: bytes  # JSON, serialised once when written
    created_at: float
