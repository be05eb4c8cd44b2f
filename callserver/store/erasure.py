"""Erasing what identifies a visitor from sessions past `privacy.erase_after_days`: the address
and the user agent go, the attribution (source, landing page, UTM tags, click ids, cookies a
campaign captures for its CRM) stays with the session and the calls it explains."""

import sqlite3
from datetime import datetime

from callserver.store.columns import instant

# The WHERE repeats the partial index's condition word for word, so SQLite uses the index.
_ERASE = """
    UPDATE visitor_sessions SET ip = NULL, user_agent = NULL
    WHERE session_id IN (
        SELECT session_id FROM visitor_sessions
        WHERE (ip IS NOT NULL OR user_agent IS NOT NULL) AND last_seen < :before
        LIMIT :limit)
"""


def erase_personal(conn: sqlite3.Connection, before: datetime, limit: int) -> int:
    """Erase up to `limit` sessions last seen before `before`; how many were erased."""
    cursor = conn.execute(_ERASE, {"before": instant(before), "limit": limit})
    return cursor.rowcount
