-- Mirror of migrations/0002_swap_lookups.sql: the swap endpoint's lookups by IP and by pool.
CREATE INDEX visitor_sessions_by_ip ON visitor_sessions (ip, last_seen);
CREATE INDEX visitor_sessions_by_pool ON visitor_sessions (pool, last_seen);
