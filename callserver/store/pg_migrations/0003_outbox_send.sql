-- Mirror of migrations/0003_outbox_send.sql: how each outbox delivery is sent.
ALTER TABLE webhook_outbox ADD COLUMN kind TEXT COLLATE "C" NOT NULL DEFAULT 'webhook';
ALTER TABLE webhook_outbox ADD COLUMN method TEXT COLLATE "C" NOT NULL DEFAULT 'POST';
ALTER TABLE webhook_outbox ADD COLUMN secret_env TEXT COLLATE "C";
CREATE INDEX webhook_outbox_by_status ON webhook_outbox (status, created_at);
