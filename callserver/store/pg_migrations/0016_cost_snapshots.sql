-- Mirror of migrations/0016_cost_snapshots.sql: each local month's source costs as configured
-- then, the last config admitted in the month winning.
CREATE TABLE cost_snapshots (
    month       TEXT COLLATE "C" PRIMARY KEY,
    costs       TEXT COLLATE "C" NOT NULL,
    recorded_at TEXT COLLATE "C" NOT NULL
);
