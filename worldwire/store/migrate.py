"""Named, append-only migrations: files in migrations/ run once each, in name order.
A migration is never edited once released; a change is a new file."""

from __future__ import annotations

import sqlite3
import time
from importlib import resources

MIGRATIONS = "worldwire.store.migrations"


def migration_names() -> list[str]:
    files = resources.files(MIGRATIONS).iterdir()
    return sorted(f.name for f in files if f.name.endswith(".sql"))


def apply(conn: sqlite3.Connection) -> list[str]:
    """Run the migrations not yet applied, each in its own transaction."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for name in migration_names():
        if name in done:
            continue
        sql = resources.files(MIGRATIONS).joinpath(name).read_text(encoding="utf-8")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO _migrations VALUES (?, ?)", (name, time.time()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def _statements(sql: str) -> list[str]:
    # executescript would commit on its own; split so the migration stays atomic.
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in current.splitlines()
    ):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {current!r}")
    return statements
