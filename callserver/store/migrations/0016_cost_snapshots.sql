-- Each local month's source costs as configured then (callserver.store.cost_snapshots), so a
-- budget changed later leaves past months' spend alone. `month` is YYYY-MM in the config's
-- timezone; `costs` is a JSON object of source name to {per_call, monthly_budget}, sources
-- without a cost left out. The last config admitted in a month replaces the month's row.
CREATE TABLE cost_snapshots (
    month       TEXT PRIMARY KEY,
    costs       TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
