"""A pool lease for `geo: nearest`: the free number of the nearest tier, least recently freed
within it, so a number just released is still the last of its tier to be shown again.

Like `leases.take`, one statement, so atomic under SQLite's single writer, and on PostgreSQL
the number it picks is locked with SKIP LOCKED as `leases.take` does. Numbers outside the
tiers (abroad) are never taken; the caller shows the pool's fallback instead.
"""

import sqlite3
from collections.abc import Mapping
from datetime import datetime, timedelta

from callserver.store.columns import instant
from callserver.store.leases import Lease, taken
from callserver.store.transactions import first_row

_TAKE_NEAREST = """
    UPDATE pool_numbers
    SET session_id = :session, leased_at = :now, expires_at = :expires, holder_ip = :ip
    WHERE number = (
        WITH t (key, value) AS (VALUES {tiers})
        SELECT p.number FROM t
        JOIN pool_numbers AS p ON p.number = t.key
        WHERE p.pool = :pool AND (p.expires_at IS NULL OR p.expires_at <= :now)
        ORDER BY t.value, p.expires_at NULLS FIRST, p.number LIMIT 1{lock})
    RETURNING number
"""


def take_nearest(conn: sqlite3.Connection, pool: str, session_id: str, now: datetime,
                 ttl: timedelta, tiers: Mapping[str, int],
                 holder_ip: str | None = None) -> Lease | None:
    """Lease the best-ranked free number of `tiers` (number -> tier, 0 best); None, with an
    exhaustion recorded, when every number near the visitor is leased."""
    ranked = {f"k{i}": number for i, number in enumerate(tiers)}
    values = ", ".join(f"(:k{i}, :t{i})" for i in range(len(ranked)))
    lock = "" if isinstance(conn, sqlite3.Connection) else " FOR UPDATE OF p SKIP LOCKED"
    row = first_row(conn, _TAKE_NEAREST.format(tiers=values, lock=lock), {
        "pool": pool, "session": session_id, "now": instant(now),
        "expires": instant(now + ttl), "ip": holder_ip, **ranked,
        **{f"t{i}": tier for i, tier in enumerate(tiers.values())}}) if tiers else None
    return taken(conn, row, pool, session_id, now, ttl)
