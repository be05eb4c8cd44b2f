-- Lookups of the swap endpoint: live leases per client address (its abuse limit), and the
-- sessions that wanted each pool's numbers (the pool report's observed peak).
CREATE INDEX visitor_sessions_by_ip ON visitor_sessions (ip, last_seen);
CREATE INDEX visitor_sessions_by_pool ON visitor_sessions (pool, last_seen);
