-- Why a call belongs to its campaign, source and session (the attribution decision, in words),
-- and whether it merged with that session under the 30-minute rule of seed 003.
ALTER TABLE calls ADD COLUMN attribution TEXT;
ALTER TABLE calls ADD COLUMN merged INTEGER NOT NULL DEFAULT 0 CHECK (merged IN (0, 1));
