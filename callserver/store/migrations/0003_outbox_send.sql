-- How each outbox delivery is sent: a signed webhook or a GA4 Measurement Protocol hit, its
-- HTTP method, and the NAME of the environment variable holding its secret (read at send time,
-- so no secret is ever stored). The listing index serves the admin API's newest-first pages.
ALTER TABLE webhook_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'webhook';
ALTER TABLE webhook_outbox ADD COLUMN method TEXT NOT NULL DEFAULT 'POST';
ALTER TABLE webhook_outbox ADD COLUMN secret_env TEXT;
CREATE INDEX webhook_outbox_by_status ON webhook_outbox (status, created_at);
