-- Several nodes on one store. calls.node is the node that took the call (NULL: a call written
-- before nodes existed, or by a command such as simulate), so a start-up closes only its own
-- calls. nodes holds each live node's heartbeat; a node silent too long is dead, and any live
-- node closes the calls it left in progress. cap_guards has one row per capped scope, touched
-- by every call that checks the cap: on PostgreSQL two calls racing for the last place under a
-- cap then conflict on that row, and the loser's batch runs again on a snapshot that sees the
-- winner (a lock taken inside a REPEATABLE READ transaction would not refresh its snapshot).
ALTER TABLE calls ADD COLUMN node TEXT;
CREATE TABLE nodes (
    node         TEXT PRIMARY KEY,
    started_at   TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);
CREATE TABLE cap_guards (
    scope      TEXT PRIMARY KEY,
    touched_at TEXT NOT NULL
);
