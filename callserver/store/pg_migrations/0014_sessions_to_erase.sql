-- Sessions still holding a visitor's address or user agent, by last page view: what
-- privacy.erase_after_days erases. A session leaves the index once erased, so the hourly sweep
-- reads only what it has left to do.
CREATE INDEX visitor_sessions_to_erase ON visitor_sessions (last_seen)
    WHERE ip IS NOT NULL OR user_agent IS NOT NULL;
