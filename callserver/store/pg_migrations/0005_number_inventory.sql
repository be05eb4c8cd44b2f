-- Mirror of migrations/0005_number_inventory.sql: every number callserver has ever tracked.
CREATE TABLE numbers (
    number      TEXT COLLATE "C" PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    country     TEXT COLLATE "C" NOT NULL,
    region      TEXT COLLATE "C" NOT NULL,
    campaign    TEXT COLLATE "C" NOT NULL,
    pool        TEXT COLLATE "C",
    role        TEXT COLLATE "C" NOT NULL,
    first_seen  TEXT COLLATE "C" NOT NULL,
    released_at TEXT COLLATE "C",
    listed      INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1))
);
CREATE INDEX numbers_by_campaign ON numbers (campaign, pool);
