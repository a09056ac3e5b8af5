from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from worldwire.model import Source, SourceSpec
from worldwire.store.interface import PollOutcome
from worldwire.store.rows import SOURCE_COLUMNS, dumps, source_from_row
from worldwire.store.writer import Tx

_INSERT = (
    "INSERT INTO sources (name, feed_url, homepage, country, languages, kind, full_text, "
    "categories, created_at, next_check_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (feed_url) DO NOTHING"
)


def _spec_values(spec: SourceSpec, now: float) -> tuple[object, ...]:
    return (
        spec.name,
        spec.feed_url,
        spec.homepage,
        spec.country.upper(),
        dumps(list(spec.languages)),
        spec.kind,
        None if spec.full_text is None else int(spec.full_text),
        dumps(list(spec.categories)),
        now,
        now,
    )


def op_add(tx: Tx, specs: Sequence[SourceSpec]) -> list[int]:
    ids = []
    for spec in specs:
        tx.conn.execute(_INSERT, _spec_values(spec, tx.now))
        row = tx.conn.execute("SELECT id FROM sources WHERE feed_url = ?", (spec.feed_url,))
        ids.append(int(row.fetchone()[0]))
    return ids


def op_sync(tx: Tx, specs: Sequence[SourceSpec]) -> tuple[int, int]:
    """Make the enabled sources exactly `specs`: add, refresh and re-enable the listed
    ones, disable the others (their articles stay). Returns (enabled, disabled)."""
    ids = op_add(tx, specs)
    for spec, source_id in zip(specs, ids, strict=True):
        name, _url, homepage, country, languages, kind, full_text, categories, *_ = _spec_values(
            spec, tx.now
        )
        tx.conn.execute(
            "UPDATE sources SET name = ?, homepage = ?, country = ?, languages = ?, kind = ?, "
            "full_text = ?, categories = ?, enabled = 1 WHERE id = ?",
            (name, homepage, country, languages, kind, full_text, categories, source_id),
        )
    keep = set(ids)
    current = [row[0] for row in tx.conn.execute("SELECT id FROM sources WHERE enabled = 1")]
    disabled = [sid for sid in current if sid not in keep]
    tx.conn.executemany("UPDATE sources SET enabled = 0 WHERE id = ?", [(s,) for s in disabled])
    return len(keep), len(disabled)


def op_remove(tx: Tx, source_id: int) -> bool:
    cur = tx.conn.execute(
        "UPDATE sources SET enabled = 0, lease_owner = NULL, lease_until = NULL"
        " WHERE id = ? AND enabled = 1",
        (source_id,),
    )
    return cur.rowcount > 0


def op_claim_due(tx: Tx, owner: str, now: float, limit: int, lease: float) -> list[Source]:
    # Index: sources_due (enabled, next_check_at).
    rows = tx.conn.execute(
        "UPDATE sources SET lease_owner = ?, lease_until = ? WHERE id IN ("
        "  SELECT id FROM sources WHERE enabled = 1 AND next_check_at <= ?"
        "  AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_check_at LIMIT ?"
        f") RETURNING {SOURCE_COLUMNS}",
        (owner, now + lease, now, now, limit),
    ).fetchall()
    return sorted((source_from_row(r) for r in rows), key=lambda s: s.next_check_at)


def op_record_poll(tx: Tx, o: PollOutcome) -> bool:
    """A late write from a worker whose lease was taken over changes nothing."""
    cur = tx.conn.execute(
        "UPDATE sources SET last_fetch_at = ?, next_check_at = ?, interval = ?, "
        "last_status = ?, last_error = ?, error_count = ?, etag = COALESCE(?, etag), "
        "last_modified = COALESCE(?, last_modified), last_elapsed_ms = ?, "
        "avg_gap = COALESCE(?, avg_gap), last_new_at = COALESCE(?, last_new_at), "
        "items_seen = items_seen + ?, full_text = COALESCE(full_text, ?), "
        "lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
        (
            o.fetched_at,
            o.next_check_at,
            o.interval,
            o.status,
            o.error,
            o.error_count,
            o.etag,
            o.last_modified,
            o.elapsed_ms,
            o.avg_gap,
            o.last_new_at,
            o.new_items,
            None if o.full_text is None else int(o.full_text),
            o.source_id,
            o.owner,
        ),
    )
    return cur.rowcount > 0


def op_release(tx: Tx, owner: str) -> None:
    tx.conn.execute(
        "UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?", (owner,)
    )


def q_list(conn: sqlite3.Connection) -> list[Source]:
    return [
        source_from_row(r)
        for r in conn.execute(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id")
    ]


def q_get(conn: sqlite3.Connection, source_id: int) -> Source | None:
    row = conn.execute(
        f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?", (source_id,)
    ).fetchone()
    return source_from_row(row) if row else None


def q_next_check_at(conn: sqlite3.Connection, now: float) -> float | None:
    """When the next source becomes claimable: its check is due and its lease, if any,
    has run out."""
    # Index: sources_due (enabled, next_check_at).
    row = conn.execute(
        "SELECT min(CASE WHEN lease_until >= ? THEN max(lease_until, next_check_at) "
        "ELSE next_check_at END) FROM sources WHERE enabled = 1",
        (now,),
    ).fetchone()
    return None if row[0] is None else float(row[0])
