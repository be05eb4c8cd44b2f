-- An interrupted call (its AGI session cut off) waits for AMI to learn how it really ended.
-- settled_at is set when callserver stops waiting (AMI can no longer report the call: its
-- channel is gone, or AMI is off) and sends its ending webhooks as 'interrupted'; such a call
-- is final. Calls interrupted more than a day before this upgrade count as settled already,
-- so upgrading sends no webhooks for old calls. The partial index holds the calls waiting.
ALTER TABLE calls ADD COLUMN settled_at TEXT;
UPDATE calls SET settled_at = ended_at
    WHERE status = 'interrupted' AND ended_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day');
CREATE INDEX calls_unsettled ON calls (ended_at) WHERE status = 'interrupted' AND settled_at IS NULL;
