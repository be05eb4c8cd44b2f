-- The per-address lease limit counts the leases themselves: each keeps the address (as privacy
-- stores it) it was taken or last renewed for. The index on the sessions' addresses went with
-- it: every page view wrote a random page of an index as large as all sessions ever seen.
ALTER TABLE pool_numbers ADD COLUMN holder_ip TEXT COLLATE "C";
UPDATE pool_numbers SET holder_ip = (
    SELECT s.ip FROM visitor_sessions s WHERE s.session_id = pool_numbers.session_id)
WHERE session_id IS NOT NULL;
CREATE INDEX pool_numbers_by_holder_ip ON pool_numbers (holder_ip, expires_at);
DROP INDEX visitor_sessions_by_ip;
