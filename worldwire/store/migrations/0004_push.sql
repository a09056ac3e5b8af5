-- WebSub push state, one row per source whose feed names a hub. The token is the
-- last segment of our callback URL and the secret keys the hub's signatures: both
-- must survive a restart, or the hub's deliveries would be refused.
CREATE TABLE source_push (
    source_id        INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
    hub              TEXT NOT NULL,
    topic            TEXT NOT NULL,
    token            TEXT NOT NULL UNIQUE,
    secret           TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL DEFAULT 'discovered',
    pending          TEXT NOT NULL DEFAULT '',
    requested_at     REAL,
    lease_seconds    INTEGER,
    lease_expires_at REAL,
    active_since     REAL,
    due_at           REAL NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_push_at     REAL,
    push_arrivals    INTEGER NOT NULL DEFAULT 0,
    poll_arrivals    INTEGER NOT NULL DEFAULT 0,
    pushes           INTEGER NOT NULL DEFAULT 0,
    rejected         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    last_error_at    REAL,
    updated_at       REAL NOT NULL
);

-- Subscribers of our own output feeds (WorldWire as a hub).
CREATE TABLE hub_subscriptions (
    topic            TEXT NOT NULL,
    callback         TEXT NOT NULL,
    secret           TEXT NOT NULL DEFAULT '',
    lease_seconds    INTEGER NOT NULL,
    expires_at       REAL NOT NULL,
    created_at       REAL NOT NULL,
    PRIMARY KEY (topic, callback)
);
