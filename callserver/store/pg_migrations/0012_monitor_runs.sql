-- Mirror of migrations/0012_monitor_runs.sql: each monitored number's last verdict and the
-- claim of the node placing its next test call.
CREATE TABLE monitor_runs (
    number        TEXT COLLATE "C" PRIMARY KEY,
    verdict       TEXT COLLATE "C",
    ok            INTEGER CHECK (ok IN (0, 1)),
    ran_at        TEXT COLLATE "C",
    claimed_by    TEXT COLLATE "C",
    claimed_until TEXT COLLATE "C"
);
