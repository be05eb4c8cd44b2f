-- Mirror of migrations/0020_outbox_headers_env.sql: each delivery's header names and the NAMES
-- of the variables holding their values, as JSON; never the values.
ALTER TABLE webhook_outbox ADD COLUMN headers_env TEXT COLLATE "C" NOT NULL DEFAULT '{}';
