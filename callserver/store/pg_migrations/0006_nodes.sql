-- Mirror of migrations/0006_nodes.sql: the node that took each call, each node's heartbeat,
-- and one row per capped scope that racing calls conflict on.
ALTER TABLE calls ADD COLUMN node TEXT COLLATE "C";
CREATE TABLE nodes (
    node         TEXT COLLATE "C" PRIMARY KEY,
    started_at   TEXT COLLATE "C" NOT NULL,
    heartbeat_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE cap_guards (
    scope      TEXT COLLATE "C" PRIMARY KEY,
    touched_at TEXT COLLATE "C" NOT NULL
);
