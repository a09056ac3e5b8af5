from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence

from worldwire.model import Story
from worldwire.store.interface import ArticleUpdate, Page, StoryQuery
from worldwire.store.rows import (
    STORY_COLUMNS,
    after_cursor,
    dumps,
    loads_tuple,
    page_of,
    story_from_row,
)
from worldwire.store.sql.articles import filters
from worldwire.store.writer import Tx
from worldwire.timefmt import iso

# Countries, languages and topics a story lists, most frequent first.
MAX_TAGS = 8


_ARTICLE_FIELDS = (
    "language",
    "title",
    "text",
    "author",
    "image",
    "published_at",
    "extract_status",
    "fingerprint",
    "duplicate_of",
    "story_id",
)


def op_apply(tx: Tx, updates: Sequence[ArticleUpdate]) -> None:
    """Write what was learnt about articles, move them between stories, refresh each
    touched story once, and say so in events."""
    conn = tx.conn
    touched: dict[int, int | None] = {}  # story id -> representative to show
    for u in updates:
        row = conn.execute(
            "SELECT story_id, title, text, summary FROM articles WHERE id = ?", (u.article_id,)
        ).fetchone()
        if row is None:
            continue
        values = {f: getattr(u, f) for f in _ARTICLE_FIELDS if getattr(u, f) is not None}
        if u.story_id is not None:
            values["duplicate_of"] = u.duplicate_of  # a re-placed article may stop being a copy
        if u.countries is not None:
            values["countries"] = dumps(list(u.countries))
            conn.execute("DELETE FROM article_countries WHERE article_id = ?", (u.article_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO article_countries VALUES (?, ?)",
                [(u.article_id, c) for c in u.countries],
            )
        if u.topics is not None:
            values["topics"] = dumps(list(u.topics))
        if values:
            assignments = ", ".join(f"{column} = ?" for column in values)
            conn.execute(
                f"UPDATE articles SET {assignments} WHERE id = ?", (*values.values(), u.article_id)
            )
        if u.title is not None or u.text is not None:
            conn.execute(
                "UPDATE articles_fts SET title = ?, body = ? WHERE rowid = ?",
                (u.title or row["title"], u.text or row["text"] or row["summary"], u.article_id),
            )
        old_story = row["story_id"]
        if u.story_id is not None:
            if old_story is not None and old_story != u.story_id:
                touched.setdefault(old_story, None)
            touched[u.story_id] = u.representative or touched.get(u.story_id)
        elif old_story is not None and (u.text is not None or u.title is not None):
            touched.setdefault(old_story, None)  # its headline or lead may change
    for story_id, representative in touched.items():
        _refresh(tx, story_id, representative)


def _refresh(tx: Tx, story_id: int, representative: int | None) -> None:
    """Recompute a story from its articles' light columns, in one pass: a big story
    is refreshed at each new article, and must not cost its texts."""
    conn = tx.conn
    # Index: articles_story_members covers these columns, so no row (nor its text's
    # overflow pages) is read.
    members = conn.execute(
        "SELECT id, url, source_id, seen_at, sort_at, language, countries, topics "
        "FROM articles WHERE story_id = ? ORDER BY sort_at, id",
        (story_id,),
    ).fetchall()
    if not members:
        if conn.execute("DELETE FROM stories WHERE id = ?", (story_id,)).rowcount:
            tx.emit("story.removed", {"story_id": story_id, "article_ids": [], "urls": []})
        return
    existing = conn.execute("SELECT article_id FROM stories WHERE id = ?", (story_id,)).fetchone()
    ids = {m["id"] for m in members}
    rep_id = next(
        (r for r in (representative, existing and existing["article_id"]) if r in ids),
        members[0]["id"],
    )
    rep = conn.execute(
        "SELECT title, summary, substr(text, 1, 600) AS head FROM articles WHERE id = ?", (rep_id,)
    ).fetchone()
    # What the story is about (not where its outlets are), most frequent first.
    tags = {
        "countries": _top(t for m in members for t in loads_tuple(m["countries"])),
        "languages": _top(m["language"] for m in members if m["language"]),
        "topics": _top(t for m in members for t in loads_tuple(m["topics"])),
    }
    values = {
        "headline": rep["title"],
        "lead": rep["summary"] or rep["head"],
        "article_id": rep_id,
        "first_seen_at": min(m["seen_at"] for m in members),
        "last_seen_at": max(m["seen_at"] for m in members),
        "sort_at": min(m["sort_at"] for m in members),
        "article_count": len(members),
        "source_count": len({m["source_id"] for m in members}),
        **{name: dumps(found) for name, found in tags.items()},
    }
    columns = ", ".join(values)
    if existing is None:
        conn.execute(
            f"INSERT INTO stories (id, {columns}) VALUES (?{', ?' * len(values)})",
            (story_id, *values.values()),
        )
        kind = "story.new"
    else:
        assignments = ", ".join(f"{c} = ?" for c in values)
        conn.execute(f"UPDATE stories SET {assignments} WHERE id = ?", (*values.values(), story_id))
        kind = "story.updated"
    tx.emit(
        kind,
        {
            "story_id": story_id,
            "headline": values["headline"],
            "article_ids": [m["id"] for m in members],
            "urls": [m["url"] for m in members],
            "source_ids": sorted({m["source_id"] for m in members}),
            **tags,
            "first_seen_at": iso(values["first_seen_at"]),
            "last_seen_at": iso(values["last_seen_at"]),
        },
    )


def _top(tags: Iterable[str]) -> list[str]:
    """The most frequent tags first, ties in code point order, at most MAX_TAGS."""
    counts = Counter(tags)
    return sorted(counts, key=lambda tag: (-counts[tag], tag))[:MAX_TAGS]


def q_get(conn: sqlite3.Connection, story_id: int) -> Story | None:
    row = conn.execute(
        f"SELECT {STORY_COLUMNS} FROM stories s WHERE s.id = ?", (story_id,)
    ).fetchone()
    return story_from_row(row) if row else None


def q_max_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM stories").fetchone()[0])


def q_query(conn: sqlite3.Connection, q: StoryQuery) -> Page[Story]:
    # Index: stories_sort, keyset pagination on (sort_at, id); filters go through the
    # story's articles (articles_story).
    where, args = filters(q, alias="a")
    clauses: list[str] = []
    if where:
        clauses.append(
            "s.id IN (SELECT a.story_id FROM articles a WHERE a.story_id IS NOT NULL"
            " AND " + " AND ".join(where) + ")"
        )
    if q.cursor:
        clause, values = after_cursor(q.cursor, "s")
        clauses.append(clause)
        args.extend(values)
    sql = f"SELECT {STORY_COLUMNS} FROM stories s"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY s.sort_at DESC, s.id DESC LIMIT ?"
    return page_of(conn.execute(sql, (*args, q.limit + 1)).fetchall(), q.limit, story_from_row)
