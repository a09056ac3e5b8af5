"""Reads the reader's web needs beyond the basic lists: stories by id, the articles of
many stories at once, full-text search with marked snippets, and whether given
articles match a search (for filtered live streams)."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence

from worldwire.model import Article, Story
from worldwire.store.interface import MARK_CLOSE, MARK_OPEN, ArticleQuery, Page, SearchHit
from worldwire.store.rows import (
    ARTICLE_COLUMNS,
    STORY_COLUMNS,
    after_cursor,
    article_from_row,
    page_of,
    story_from_row,
)
from worldwire.store.search import to_fts5
from worldwire.store.sql.articles import filters

# Lists never show an article's full text: leave it out of the row.
_LIGHT_COLUMNS = ARTICLE_COLUMNS.replace("a.text,", "'' AS text,")
# Bound parameters per statement stay well under SQLite's limit.
_CHUNK = 500
SNIPPET_TOKENS = 24


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def q_stories(conn: sqlite3.Connection, story_ids: Sequence[int]) -> list[Story]:
    """The stories with these ids, in the order asked (missing ones are left out)."""
    found: dict[int, Story] = {}
    for chunk in _chunks(story_ids):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT {STORY_COLUMNS} FROM stories s WHERE s.id IN ({marks})", tuple(chunk)
        ):
            found[row["id"]] = story_from_row(row)
    return [found[i] for i in story_ids if i in found]


def q_story_articles(
    conn: sqlite3.Connection, story_ids: Sequence[int], per_story: int | None
) -> dict[int, list[Article]]:
    """Each story's articles in the order the outlets had them (without their text),
    at most `per_story` of each when given."""
    # Index: articles_story_members (story_id, sort_at, id, ...).
    result: dict[int, list[Article]] = {i: [] for i in story_ids}
    for chunk in _chunks(story_ids):
        marks = ",".join("?" * len(chunk))
        if per_story is None:
            sql = (
                f"SELECT {_LIGHT_COLUMNS} FROM articles a WHERE a.story_id IN ({marks}) "
                "ORDER BY a.story_id, a.sort_at, a.id"
            )
            args: tuple[object, ...] = tuple(chunk)
        else:
            sql = (
                f"SELECT * FROM (SELECT {_LIGHT_COLUMNS}, row_number() OVER "
                "(PARTITION BY a.story_id ORDER BY a.sort_at, a.id) AS rank "
                f"FROM articles a WHERE a.story_id IN ({marks})) WHERE rank <= ? "
                "ORDER BY story_id, sort_at, id"
            )
            args = (*chunk, per_story)
        for row in conn.execute(sql, args):
            result[row["story_id"]].append(article_from_row(row))
    return result


def q_search(conn: sqlite3.Connection, query: ArticleQuery) -> Page[SearchHit]:
    """Articles matching a reader's search, newest first, with the matched words
    marked in the title and in a snippet of the body."""
    expression = to_fts5(query.q)
    if not expression:
        return Page([], None)
    where, args = filters(dataclasses.replace(query, q=""))
    where.insert(0, "articles_fts MATCH ?")
    args.insert(0, expression)
    if query.story_id is not None:
        where.append("a.story_id = ?")
        args.append(query.story_id)
    if query.cursor:
        clause, values = after_cursor(query.cursor, "a")
        where.append(clause)
        args.extend(values)
    sql = (
        f"SELECT {_LIGHT_COLUMNS}, highlight(articles_fts, 0, ?, ?) AS marked_title, "
        f"snippet(articles_fts, 1, ?, ?, '…', {SNIPPET_TOKENS}) AS marked_snippet "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        f"WHERE {' AND '.join(where)} ORDER BY a.sort_at DESC, a.id DESC LIMIT ?"
    )
    marks = (MARK_OPEN, MARK_CLOSE, MARK_OPEN, MARK_CLOSE)
    rows = conn.execute(sql, (*marks, *args, query.limit + 1)).fetchall()
    return page_of(
        rows,
        query.limit,
        lambda r: SearchHit(
            article_from_row(r), r["marked_title"] or "", r["marked_snippet"] or ""
        ),
    )


def q_fts_matches(conn: sqlite3.Connection, q: str, article_ids: Sequence[int]) -> set[int]:
    """Which of these articles a reader's search finds."""
    expression = to_fts5(q)
    if not expression or not article_ids:
        return set()
    found: set[int] = set()
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in conn.execute(
                f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({marks})",
                (expression, *chunk),
            )
        )
    return found
