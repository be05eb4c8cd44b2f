-- Headers whose values come from the environment (`headers_env` of a webhook): each delivery
-- keeps, as JSON, which header is sent with which variable's value, by NAME only. The value is
-- read at send time, like `secret_env`'s, so no credential is stored in the outbox or shown by
-- its API and dashboard.
ALTER TABLE webhook_outbox ADD COLUMN headers_env TEXT NOT NULL DEFAULT '{}';
