-- Mirror of migrations/0010_settled_interrupted.sql: when an interrupted call was given up on
-- (its endings sent as 'interrupted'), old interrupted calls counted as settled, and the
-- partial index of the calls still waiting.
ALTER TABLE calls ADD COLUMN settled_at TEXT COLLATE "C";
UPDATE calls SET settled_at = ended_at
    WHERE status = 'interrupted'
    AND ended_at < to_char(now() AT TIME ZONE 'UTC' - interval '1 day',
                           'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
CREATE INDEX calls_unsettled ON calls (ended_at) WHERE status = 'interrupted' AND settled_at IS NULL;
