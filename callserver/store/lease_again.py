"""A returning visitor's number leased to their new session, if it is still free.

The least-recently-freed rule (`leases.take`) keeps a number just released away from other
visitors; the visitor it was released by is the one exception: they may have noted it, and a
call on it is theirs. One statement, like `take`: atomic under SQLite's single writer, and on
PostgreSQL (READ COMMITTED) an update that waited on another node's take of the same number
re-checks the row and finds it leased, so no row comes back and the caller takes another.
"""

import sqlite3
from datetime import datetime, timedelta

from callserver.store.columns import instant
from callserver.store.leases import Lease
from callserver.store.transactions import first_row

_AGAIN = """
    UPDATE pool_numbers
    SET session_id = :session, leased_at = :now, expires_at = :expires, holder_ip = :ip
    WHERE number = :number AND pool = :pool AND (expires_at IS NULL OR expires_at <= :now)
    RETURNING number
"""


def lease_again(conn: sqlite3.Connection, pool: str, number: str, session_id: str,
                now: datetime, ttl: timedelta, holder_ip: str | None = None) -> Lease | None:
    """Lease `number` of `pool` to the session until `now + ttl`; None, and nothing recorded
    (the pool is not exhausted), if it is leased to someone else or left the pool."""
    row = first_row(conn, _AGAIN, {
        "pool": pool, "number": number, "session": session_id, "now": instant(now),
        "expires": instant(now + ttl), "ip": holder_ip})
    return None if row is None else Lease(number, pool, session_id, now, now + ttl)
