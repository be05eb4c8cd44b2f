-- Every number callserver has ever tracked, kept after it leaves the config (seed 002: numbers
-- are released, not deleted). released_at NULL: active; set: released, and available again once
-- the config's numbers_cooling_off_days have passed since. campaign and pool are where it was
-- last in service; listed says whether the config synced last still lists it (a number
-- released on command stays out of service until its line is deleted).
CREATE TABLE numbers (
    number      TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    country     TEXT NOT NULL,
    region      TEXT NOT NULL,
    campaign    TEXT NOT NULL,
    pool        TEXT,
    role        TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    released_at TEXT,
    listed      INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1))
);
CREATE INDEX numbers_by_campaign ON numbers (campaign, pool);
