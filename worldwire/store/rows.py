"""Rows to models and back. JSON columns hold small lists; orjson keeps them cheap."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import orjson

from worldwire.errors import QueryError
from worldwire.model import Article, Source, Story
from worldwire.store.interface import Page

T = TypeVar("T")


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def loads_tuple(raw: str | bytes | None) -> tuple[str, ...]:
    return tuple(orjson.loads(raw)) if raw else ()


# In the order of Source's fields, so that a row becomes a Source positionally: claiming
# hundreds of due sources a second made name lookups on sqlite3.Row a real cost.
SOURCE_COLUMNS = (
    "id, name, feed_url, homepage, country, languages, kind, full_text, enabled, etag, "
    "last_modified, interval, next_check_at, last_fetch_at, last_status, last_error, "
    "error_count, last_elapsed_ms, avg_gap, last_new_at, items_seen"
)


def source_from_row(row: sqlite3.Row) -> Source:
    """A row selected as SOURCE_COLUMNS."""
    id_, name, feed_url, homepage, country, languages, kind, full_text, enabled, *state = row
    return Source(
        id_,
        name,
        feed_url,
        homepage,
        country,
        loads_tuple(languages),
        kind,
        None if full_text is None else bool(full_text),
        bool(enabled),
        *state,
    )


ARTICLE_COLUMNS = (
    "a.id, a.source_id, a.key, a.url, a.title, a.summary, a.text, a.author, a.language, "
    "a.image, a.categories, a.countries, a.topics, a.duplicate_of, a.story_id, "
    "a.published_at, a.updated_at, a.seen_at, a.visible_at, a.extract_status, a.sort_at"
)


def article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        source_id=row["source_id"],
        key=row["key"],
        url=row["url"],
        title=row["title"],
        summary=row["summary"],
        text=row["text"],
        author=row["author"],
        language=row["language"],
        image=row["image"],
        categories=loads_tuple(row["categories"]),
        countries=loads_tuple(row["countries"]),
        topics=loads_tuple(row["topics"]),
        duplicate_of=row["duplicate_of"],
        story_id=row["story_id"],
        published_at=row["published_at"],
        updated_at=row["updated_at"],
        seen_at=row["seen_at"],
        visible_at=row["visible_at"],
        extract_status=row["extract_status"],
    )


STORY_COLUMNS = (
    "s.id, s.headline, s.lead, s.article_id, s.first_seen_at, s.last_seen_at, s.sort_at, "
    "s.article_count, s.source_count, s.countries, s.languages, s.topics"
)


def story_from_row(row: sqlite3.Row) -> Story:
    return Story(
        id=row["id"],
        headline=row["headline"],
        lead=row["lead"],
        article_id=row["article_id"],
        first_seen_at=row["first_seen_at"],
        last_seen_at=row["last_seen_at"],
        article_count=row["article_count"],
        source_count=row["source_count"],
        countries=loads_tuple(row["countries"]),
        languages=loads_tuple(row["languages"]),
        topics=loads_tuple(row["topics"]),
    )


def encode_cursor(sort_at: float, row_id: int) -> str:
    return base64.urlsafe_b64encode(f"{sort_at!r}:{row_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        sort_at, row_id = raw.split(":")
        return float(sort_at), int(row_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise QueryError(f"invalid cursor {cursor!r}") from exc


def after_cursor(cursor: str, alias: str) -> tuple[str, list[object]]:
    """The WHERE clause that continues a newest-first (sort_at, id) list after `cursor`."""
    sort_at, row_id = decode_cursor(cursor)
    return (
        f"({alias}.sort_at < ? OR ({alias}.sort_at = ? AND {alias}.id < ?))",
        [sort_at, sort_at, row_id],
    )


def page_of(rows: Sequence[sqlite3.Row], limit: int, make: Callable[[sqlite3.Row], T]) -> Page[T]:
    """A page from `limit + 1` rows: the extra row only says there is a next page."""
    items = [make(r) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    return Page(items, encode_cursor(last["sort_at"], last["id"]) if last is not None else None)
