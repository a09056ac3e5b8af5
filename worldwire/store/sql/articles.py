from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from worldwire.model import Article, Entry, Source
from worldwire.store.interface import ArticleQuery, Page, Upserted
from worldwire.store.rows import ARTICLE_COLUMNS, after_cursor, article_from_row, dumps, page_of
from worldwire.store.search import to_fts5
from worldwire.store.writer import Tx
from worldwire.timefmt import iso

_INSERT = (
    "INSERT INTO articles (source_id, key, url, title, summary, text, author, language, image, "
    "categories, published_at, updated_at, seen_at, visible_at, sort_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPDATE = (
    "UPDATE articles SET url = ?, title = ?, summary = ?, text = CASE WHEN ? != '' THEN ? "
    "ELSE text END, author = ?, image = ?, categories = ?, updated_at = ? WHERE id = ?"
)


def _fingerprint(e: Entry) -> tuple[str, str, str, str, float | None]:
    return (e.url, e.title, e.summary, e.content[:200], e.updated)


def op_upsert_entries(
    tx: Tx, source: Source, entries: Sequence[Entry], seen_at: float
) -> list[Upserted]:
    """Insert new entries and update changed ones in place, keyed by (source, key).
    New articles become visible with this commit: an article.new event says so."""
    conn = tx.conn
    existing: dict[str, sqlite3.Row] = {}
    keys = [e.key for e in entries]
    for start in range(0, len(keys), 500):  # SQLite's bound-parameter limit
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT id, key, url, title, summary, substr(text, 1, 200) AS head, updated_at "
            f"FROM articles WHERE source_id = ? AND key IN ({marks})",
            (source.id, *chunk),
        ):
            existing[row["key"]] = row
    language_default = source.languages[0] if len(source.languages) == 1 else ""
    results: list[Upserted] = []
    for e in entries:
        row = existing.get(e.key)
        if row is None:
            language = e.language or language_default
            sort_at = min(e.published or seen_at, seen_at)
            cur = conn.execute(
                _INSERT,
                (
                    source.id,
                    e.key,
                    e.url,
                    e.title,
                    e.summary or _lead(e.content),
                    e.content,
                    e.author,
                    language,
                    e.image,
                    dumps(list(e.categories)),
                    e.published,
                    e.updated,
                    seen_at,
                    tx.now,
                    sort_at,
                ),
            )
            article_id = int(cur.lastrowid or 0)
            conn.execute(
                "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                (article_id, e.title, e.content or e.summary),
            )
            tx.emit(
                "article.new",
                {
                    "article_id": article_id,
                    "story_id": None,
                    "source_id": source.id,
                    "url": e.url,
                    "title": e.title,
                    "language": language,
                    "countries": [source.country] if source.country else [],
                    "published_at": iso(e.published),
                    "seen_at": iso(seen_at),
                    "visible_at": iso(tx.now),
                },
            )
            results.append(Upserted(article_id, e.key, True, True))
            continue
        old = (row["url"], row["title"], row["summary"], row["head"], row["updated_at"])
        if old == _fingerprint(e) or (e.updated is None and old[:4] == _fingerprint(e)[:4]):
            results.append(Upserted(row["id"], e.key, False, False))
            continue
        conn.execute(
            _UPDATE,
            (
                e.url,
                e.title,
                e.summary or _lead(e.content),
                e.content,
                e.content,
                e.author,
                e.image,
                dumps(list(e.categories)),
                e.updated,
                row["id"],
            ),
        )
        conn.execute(
            "UPDATE articles_fts SET title = ?, body = ? WHERE rowid = ?",
            (e.title, e.content or e.summary, row["id"]),
        )
        results.append(Upserted(row["id"], e.key, False, True))
    return results


def _lead(text: str) -> str:
    first = text.split("\n\n", 1)[0]
    return first[:600]


def q_get(conn: sqlite3.Connection, article_id: int) -> Article | None:
    row = conn.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,)
    ).fetchone()
    return article_from_row(row) if row else None


def q_find_by_url(conn: sqlite3.Connection, url: str) -> Article | None:
    # Index: articles_url.
    row = conn.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.url = ? ORDER BY a.id LIMIT 1", (url,)
    ).fetchone()
    return article_from_row(row) if row else None


def filters(q: ArticleQuery | Any, alias: str = "a") -> tuple[list[str], list[object]]:
    """WHERE clauses shared by article and story lists (over the story's articles)."""
    where: list[str] = []
    args: list[object] = []
    if q.source_id is not None:
        where.append(f"{alias}.source_id = ?")
        args.append(q.source_id)
    if q.countries:
        marks = ",".join("?" * len(q.countries))
        # Index: article_countries (country, article_id); sources by country is small.
        where.append(
            f"({alias}.id IN (SELECT article_id FROM article_countries WHERE country IN "
            f"({marks})) OR {alias}.source_id IN (SELECT id FROM sources WHERE country IN "
            f"({marks})))"
        )
        args.extend(q.countries)
        args.extend(q.countries)
    if q.languages:
        where.append(f"{alias}.language IN ({','.join('?' * len(q.languages))})")
        args.extend(q.languages)
    if q.topics:
        where.append(
            f"EXISTS (SELECT 1 FROM json_each({alias}.topics) WHERE value IN "
            f"({','.join('?' * len(q.topics))}))"
        )
        args.extend(q.topics)
    if q.since is not None:
        where.append(f"{alias}.sort_at >= ?")
        args.append(q.since)
    if q.until is not None:
        where.append(f"{alias}.sort_at < ?")
        args.append(q.until)
    if q.q and (expression := to_fts5(q.q)):
        where.append(f"{alias}.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        args.append(expression)
    return where, args


def q_query(conn: sqlite3.Connection, q: ArticleQuery) -> Page[Article]:
    # Index: articles_sort / articles_source_sort, keyset pagination on (sort_at, id).
    where, args = filters(q)
    if q.story_id is not None:
        where.append("a.story_id = ?")
        args.append(q.story_id)
    if q.cursor:
        clause, values = after_cursor(q.cursor, "a")
        where.append(clause)
        args.extend(values)
    sql = f"SELECT {ARTICLE_COLUMNS} FROM articles a"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.sort_at DESC, a.id DESC LIMIT ?"
    return page_of(conn.execute(sql, (*args, q.limit + 1)).fetchall(), q.limit, article_from_row)


def q_recent(conn: sqlite3.Connection, since: float, limit: int) -> list[Article]:
    """The newest `limit` articles first seen since `since`, oldest first: the
    clusterer's window."""
    # Index: articles_seen (read backwards).
    rows = conn.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.seen_at >= ? "
        "ORDER BY a.seen_at DESC, a.id DESC LIMIT ?",
        (since, limit),
    ).fetchall()
    return [article_from_row(r) for r in reversed(rows)]


def q_pending_reads(conn: sqlite3.Connection, since: float, limit: int) -> list[Article]:
    """Articles whose page was never read (the process stopped first), oldest first."""
    # Index: articles_seen; the status filter runs over that window only.
    rows = conn.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.seen_at >= ? "
        "AND a.extract_status = '' ORDER BY a.seen_at, a.id LIMIT ?",
        (since, limit),
    ).fetchall()
    return [article_from_row(r) for r in rows]


def q_by_urls(conn: sqlite3.Connection, urls: Sequence[str]) -> dict[str, Article]:
    """The first stored article for each URL (exact duplicates across feeds)."""
    found: dict[str, Article] = {}
    wanted = [u for u in dict.fromkeys(urls) if u]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        # Index: articles_url.
        rows = conn.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.url IN "
            f"({','.join('?' * len(chunk))}) ORDER BY a.id",
            chunk,
        ).fetchall()
        for row in rows:
            found.setdefault(row["url"], article_from_row(row))
    return found
