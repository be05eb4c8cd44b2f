-- Mirror of migrations/0007_cluster_config.sql: the config digest the last reload recorded.
CREATE TABLE cluster_config (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    digest      TEXT COLLATE "C" NOT NULL,
    recorded_at TEXT COLLATE "C" NOT NULL
);
