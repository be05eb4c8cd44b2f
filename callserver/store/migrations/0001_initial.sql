-- callserver schema, version 1. Instants are UTC text (see columns.py), mappings are JSON text.

-- One row per web session the swap endpoint saw; the attribution a later call inherits.
CREATE TABLE visitor_sessions (
    session_id   TEXT PRIMARY KEY,
    visitor_id   TEXT NOT NULL,
    campaign     TEXT NOT NULL,
    source       TEXT,
    number       TEXT,
    pool         TEXT,
    ip           TEXT,
    user_agent   TEXT,
    landing_url  TEXT,
    referrer     TEXT,
    utm_source   TEXT,
    utm_medium   TEXT,
    utm_campaign TEXT,
    utm_term     TEXT,
    utm_content  TEXT,
    gclid        TEXT,
    fbclid       TEXT,
    msclkid      TEXT,
    cookies      TEXT NOT NULL DEFAULT '{}',
    page_views   INTEGER NOT NULL DEFAULT 1,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL
);
CREATE INDEX visitor_sessions_by_visitor ON visitor_sessions (visitor_id, campaign, last_seen);
CREATE INDEX visitor_sessions_by_number ON visitor_sessions (number, last_seen);

-- Pool numbers and their leases. expires_at is NULL for a number never leased, otherwise the
-- instant its lease ends or ended: free means NULL or past, and ordering by it is LRU order.
CREATE TABLE pool_numbers (
    number     TEXT PRIMARY KEY,
    pool       TEXT NOT NULL,
    session_id TEXT,
    leased_at  TEXT,
    expires_at TEXT
);
CREATE INDEX pool_numbers_free ON pool_numbers (pool, expires_at, number);
CREATE INDEX pool_numbers_by_session ON pool_numbers (session_id, pool);

-- A visitor who found every number of a pool leased (and was shown the fallback).
CREATE TABLE pool_exhaustions (
    id         INTEGER PRIMARY KEY,
    pool       TEXT NOT NULL,
    at         TEXT NOT NULL,
    session_id TEXT
);
CREATE INDEX pool_exhaustions_by_pool ON pool_exhaustions (pool, at);

-- Written when the AGI session starts (status in-progress), completed once from how it ended.
CREATE TABLE calls (
    id              TEXT PRIMARY KEY,
    uniqueid        TEXT,
    linkedid        TEXT,
    status          TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    number          TEXT NOT NULL,
    caller          TEXT NOT NULL,
    campaign        TEXT,
    source          TEXT,
    publisher       TEXT,
    tags            TEXT NOT NULL DEFAULT '{}',
    sub_id          TEXT,
    session_id      TEXT,
    ivr_path        TEXT NOT NULL DEFAULT '[]',
    trace           TEXT NOT NULL DEFAULT 'null',
    answered_at     TEXT,
    ended_at        TEXT,
    ring_seconds    REAL,
    talk_seconds    REAL,
    answered_target TEXT,
    hangup_cause    TEXT,
    recording       TEXT,
    converted       INTEGER NOT NULL DEFAULT 0 CHECK (converted IN (0, 1))
);
CREATE INDEX calls_by_uniqueid ON calls (uniqueid);
CREATE INDEX calls_by_status ON calls (status);
CREATE INDEX calls_by_number ON calls (number, started_at);
CREATE INDEX calls_by_campaign ON calls (campaign, started_at);
CREATE INDEX calls_by_target ON calls (answered_target, started_at);

CREATE TABLE call_events (
    id      INTEGER PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    at      TEXT NOT NULL,
    kind    TEXT NOT NULL,
    data    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX call_events_by_call ON call_events (call_id, at);

-- Webhook deliveries. A claim sets status 'claimed' and pushes next_attempt_at to the claim's
-- end, so a delivery goes out once unless its worker dies holding it.
CREATE TABLE webhook_outbox (
    id              TEXT PRIMARY KEY,
    event           TEXT NOT NULL,
    call_id         TEXT REFERENCES calls (id) ON DELETE SET NULL,
    url             TEXT NOT NULL,
    headers         TEXT NOT NULL DEFAULT '{}',
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    settled_at      TEXT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
