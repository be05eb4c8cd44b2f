-- Mirror of migrations/0004_call_attribution.sql: why a call belongs to its campaign, source
-- and session, and whether it merged with that session.
ALTER TABLE calls ADD COLUMN attribution TEXT COLLATE "C";
ALTER TABLE calls ADD COLUMN merged INTEGER NOT NULL DEFAULT 0 CHECK (merged IN (0, 1));
