-- Mirror of migrations/0011_test_calls.sql: the flag of a call placed from monitor.caller_id.
ALTER TABLE calls ADD COLUMN test INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1));
