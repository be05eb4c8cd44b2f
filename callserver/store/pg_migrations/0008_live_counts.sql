-- Mirror of migrations/0008_live_counts.sql: the targets each call in progress holds, partial
-- indexes of the calls in progress, and the node holding each outbox claim.
CREATE TABLE call_targets (
    target  TEXT COLLATE "C" NOT NULL,
    call_id TEXT COLLATE "C" NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    PRIMARY KEY (target, call_id)
);
CREATE INDEX call_targets_by_call ON call_targets (call_id);
CREATE INDEX calls_live_by_number ON calls (number) WHERE status = 'in-progress';
CREATE INDEX calls_live_by_campaign ON calls (campaign) WHERE status = 'in-progress';
ALTER TABLE webhook_outbox ADD COLUMN claimed_by TEXT COLLATE "C";
CREATE INDEX webhook_outbox_by_claimer ON webhook_outbox (claimed_by) WHERE status = 'claimed';
