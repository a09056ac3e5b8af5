from __future__ import annotations

import sqlite3

from worldwire.model import Event
from worldwire.store.writer import Tx


def q_after(conn: sqlite3.Connection, event_id: int, limit: int) -> list[Event]:
    rows = conn.execute(
        "SELECT id, kind, data, created_at FROM events WHERE id > ? ORDER BY id LIMIT ?",
        (event_id, limit),
    ).fetchall()
    return [Event(r[0], r[1], bytes(r[2]), r[3]) for r in rows]


def q_last_id(conn: sqlite3.Connection) -> int:
    # AUTOINCREMENT keeps ids increasing even after pruning.
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
    return int(row[0]) if row else 0


def op_prune(tx: Tx, before: float) -> int:
    cur = tx.conn.execute("DELETE FROM events WHERE created_at < ?", (before,))
    return cur.rowcount
