"""Storage. Everything goes through the Store interface; SQL lives only in this package."""

from worldwire.store.interface import (
    ArticleQuery,
    ArticleUpdate,
    Page,
    PollOutcome,
    Store,
    StoryAssignment,
    StoryQuery,
    Upserted,
)
from worldwire.store.sqlite import SQLiteStore

__all__ = [
    "ArticleQuery",
    "ArticleUpdate",
    "Page",
    "PollOutcome",
    "SQLiteStore",
    "Store",
    "StoryAssignment",
    "StoryQuery",
    "Upserted",
]
