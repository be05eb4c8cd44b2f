-- Counts of calls in progress, read by every node from the store rather than from its memory.
-- call_targets holds a row per call and target it is ringing or talking to (from the start of
-- its Dial to the end), so a target's concurrency cap counts the calls of all nodes; the
-- partial indexes count a number's or a campaign's calls in progress without reading those
-- that ended. claimed_by names the node holding an outbox claim, so once that node is found
-- dead its claims are due again at once rather than when they run out.
CREATE TABLE call_targets (
    target  TEXT NOT NULL,
    call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    PRIMARY KEY (target, call_id)
);
CREATE INDEX call_targets_by_call ON call_targets (call_id);
CREATE INDEX calls_live_by_number ON calls (number) WHERE status = 'in-progress';
CREATE INDEX calls_live_by_campaign ON calls (campaign) WHERE status = 'in-progress';
ALTER TABLE webhook_outbox ADD COLUMN claimed_by TEXT;
CREATE INDEX webhook_outbox_by_claimer ON webhook_outbox (claimed_by) WHERE status = 'claimed';
