-- The monitor's schedule, shared by every node on the store: per monitored number, the last
-- test call's verdict (as /api/monitor renders it), whether it passed and when it ended, and
-- the claim of the node placing the next call. A claim lasts until claimed_until, so a node
-- that dies mid-call blocks its number no longer than that.
CREATE TABLE monitor_runs (
    number        TEXT PRIMARY KEY,
    verdict       TEXT,
    ok            INTEGER CHECK (ok IN (0, 1)),
    ran_at        TEXT,
    claimed_by    TEXT,
    claimed_until TEXT
);
