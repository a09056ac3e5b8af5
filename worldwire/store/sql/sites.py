from __future__ import annotations

import sqlite3

from worldwire.store.writer import Tx


def q_profiles(conn: sqlite3.Connection) -> dict[str, str]:
    return {row[0]: row[1] for row in conn.execute("SELECT host, profile FROM site_profiles")}


def op_save_profiles(tx: Tx, profiles: dict[str, str]) -> None:
    tx.conn.executemany(
        "INSERT INTO site_profiles (host, profile, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (host) DO UPDATE SET profile = excluded.profile, "
        "updated_at = excluded.updated_at",
        [(host, profile, tx.now) for host, profile in profiles.items()],
    )
