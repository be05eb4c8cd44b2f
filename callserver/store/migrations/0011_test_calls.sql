-- A test call is one the monitor (or `callserver test-call`) placed from monitor.caller_id: it
-- is recorded like any call, but sends no webhooks, takes no cap place and is left out of
-- reports, /api/calls, the dashboard and /metrics unless asked for.
ALTER TABLE calls ADD COLUMN test INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1));
