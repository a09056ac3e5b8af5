-- What extraction learnt about each site: the article container that a cheap
-- selector can find next time instead of a full extraction.
CREATE TABLE site_profiles (
    host            TEXT PRIMARY KEY,
    profile         TEXT NOT NULL,        -- JSON, as worldwire.extract.SiteProfile
    updated_at      REAL NOT NULL
);

-- Restoring the clusterer's window after a restart reads recent articles in order.
CREATE INDEX articles_seen ON articles (seen_at);
