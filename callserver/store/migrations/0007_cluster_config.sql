-- The config digest the last reload on any node loaded (callserver.cluster.config_follow):
-- every node reads it every few seconds and reloads its own file when it differs. One row.
CREATE TABLE cluster_config (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    digest      TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
