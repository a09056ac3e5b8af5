-- Sources are feeds. Scheduling state lives on the row so that any worker can pick
-- up where another left off; the lease lets several workers share the table.
CREATE TABLE sources (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    feed_url        TEXT NOT NULL UNIQUE,
    homepage        TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT '',
    languages       TEXT NOT NULL DEFAULT '[]',   -- JSON array of ISO 639-1 codes
    kind            TEXT NOT NULL DEFAULT 'rss',
    full_text       INTEGER,                      -- NULL: decide from the feed
    categories      TEXT NOT NULL DEFAULT '[]',
    enabled         INTEGER NOT NULL DEFAULT 1,
    created_at      REAL NOT NULL,
    etag            TEXT NOT NULL DEFAULT '',
    last_modified   TEXT NOT NULL DEFAULT '',
    interval        REAL NOT NULL DEFAULT 0,
    next_check_at   REAL NOT NULL DEFAULT 0,
    last_fetch_at   REAL,
    last_status     INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    error_count     INTEGER NOT NULL DEFAULT 0,
    last_elapsed_ms REAL,
    avg_gap         REAL,
    last_new_at     REAL,
    items_seen      INTEGER NOT NULL DEFAULT 0,
    lease_owner     TEXT,
    lease_until     REAL
);
-- claim_due: enabled sources by next check.
CREATE INDEX sources_due ON sources (enabled, next_check_at);

CREATE TABLE stories (
    id              INTEGER PRIMARY KEY,
    headline        TEXT NOT NULL,
    lead            TEXT NOT NULL DEFAULT '',
    article_id      INTEGER,
    first_seen_at   REAL NOT NULL,
    last_seen_at    REAL NOT NULL,
    sort_at         REAL NOT NULL,
    article_count   INTEGER NOT NULL DEFAULT 1,
    source_count    INTEGER NOT NULL DEFAULT 1,
    countries       TEXT NOT NULL DEFAULT '[]',
    languages       TEXT NOT NULL DEFAULT '[]',
    topics          TEXT NOT NULL DEFAULT '[]'
);
-- Front page and story lists: newest first.
CREATE INDEX stories_sort ON stories (sort_at DESC, id DESC);

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    source_id       INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
    url             TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    text            TEXT NOT NULL DEFAULT '',
    author          TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT '',
    image           TEXT NOT NULL DEFAULT '',
    categories      TEXT NOT NULL DEFAULT '[]',
    countries       TEXT NOT NULL DEFAULT '[]',
    topics          TEXT NOT NULL DEFAULT '[]',
    fingerprint     BLOB,
    duplicate_of    INTEGER,
    story_id        INTEGER,  -- set once the story exists, in the same transaction
    published_at    REAL,
    updated_at      REAL,
    seen_at         REAL NOT NULL,
    visible_at      REAL,
    sort_at         REAL NOT NULL,
    extract_status  TEXT NOT NULL DEFAULT '',
    UNIQUE (source_id, key)
);
-- Article lists: newest first, overall and per source.
CREATE INDEX articles_sort ON articles (sort_at DESC, id DESC);
CREATE INDEX articles_source_sort ON articles (source_id, sort_at DESC, id DESC);
-- Exact duplicates across feeds are found by canonical URL before any fetch.
CREATE INDEX articles_url ON articles (url);
CREATE INDEX articles_story ON articles (story_id);

-- The countries an article is about, for indexed country and region filters.
CREATE TABLE article_countries (
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    country         TEXT NOT NULL,
    PRIMARY KEY (country, article_id)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);

-- The append-only log that the live stream, hubs and alerts read. Written in the
-- same transaction as the change it describes.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    data            BLOB NOT NULL,
    created_at      REAL NOT NULL
);
