"""WebSub state: each source's subscription at its hub, and the subscribers of our
own hub. Both tables are small (one row per pushing source or subscriber) and read
whole at start; the subscriber and hub keep them in memory and write through."""

from __future__ import annotations

import dataclasses
import sqlite3

from worldwire.store.writer import Tx
from worldwire.websub.state import HubSubscription, PushState

_PUSH_COLUMNS = tuple(f.name for f in dataclasses.fields(PushState))
_UPSERT_PUSH = (
    f"INSERT INTO source_push ({', '.join(_PUSH_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_PUSH_COLUMNS))}) ON CONFLICT (source_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _PUSH_COLUMNS if c != "source_id")
)


def q_push_states(conn: sqlite3.Connection) -> list[PushState]:
    rows = conn.execute(f"SELECT {', '.join(_PUSH_COLUMNS)} FROM source_push ORDER BY source_id")
    return [PushState(**dict(row)) for row in rows]


def op_save_push(tx: Tx, state: PushState) -> None:
    state.updated_at = tx.now
    tx.conn.execute(_UPSERT_PUSH, dataclasses.astuple(state))


def op_delete_push(tx: Tx, source_id: int) -> None:
    tx.conn.execute("DELETE FROM source_push WHERE source_id = ?", (source_id,))


def q_push_on_disabled(conn: sqlite3.Connection) -> list[int]:
    """Sources removed (disabled) while they still hold a subscription."""
    rows = conn.execute(
        "SELECT p.source_id FROM source_push p JOIN sources s ON s.id = p.source_id "
        "WHERE s.enabled = 0"
    )
    return [int(row[0]) for row in rows]


def op_poll_soon(tx: Tx, source_id: int, at: float) -> None:
    """Bring a source's next poll forward (push stopped being a reason to wait)."""
    # Index: the primary key.
    tx.conn.execute(
        "UPDATE sources SET next_check_at = min(next_check_at, ?) WHERE id = ? AND enabled = 1",
        (at, source_id),
    )


def op_record_arrivals(
    tx: Tx, source_id: int, at: float, new_items: int, avg_gap: float | None
) -> None:
    """Items that came by push count as the source's news, as a poll's would."""
    tx.conn.execute(
        "UPDATE sources SET last_new_at = ?, avg_gap = COALESCE(?, avg_gap), "
        "items_seen = items_seen + ? WHERE id = ?",
        (at, avg_gap, new_items, source_id),
    )


def q_hub_subscriptions(conn: sqlite3.Connection) -> list[HubSubscription]:
    rows = conn.execute(
        "SELECT topic, callback, secret, lease_seconds, expires_at, created_at "
        "FROM hub_subscriptions ORDER BY topic, callback"
    )
    return [HubSubscription(**dict(row)) for row in rows]


def op_save_hub_subscription(tx: Tx, sub: HubSubscription) -> None:
    tx.conn.execute(
        "INSERT INTO hub_subscriptions (topic, callback, secret, lease_seconds, expires_at, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic, callback) DO UPDATE SET "
        "secret = excluded.secret, lease_seconds = excluded.lease_seconds, "
        "expires_at = excluded.expires_at",
        dataclasses.astuple(sub),
    )


def op_delete_hub_subscription(tx: Tx, topic: str, callback: str) -> None:
    tx.conn.execute(
        "DELETE FROM hub_subscriptions WHERE topic = ? AND callback = ?", (topic, callback)
    )
