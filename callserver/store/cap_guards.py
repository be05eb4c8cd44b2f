"""One guard row per capped scope, so a cap's check and the call it admits (or the target a
call holds, `live_counts.hold`) are one step on every store (the cap_guards table of 0006).

An advisory lock (`pg_advisory_xact_lock`) would not do on PostgreSQL: the batch's REPEATABLE
READ snapshot is older than the lock, so the count taken after it still misses the call of the
batch that held it (two stores racing admitted 10 calls under a cap of 5). A row both touch
makes the race a serialization failure instead, which the store answers by running again.
"""

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from callserver.store.columns import instant


def guard(conn: sqlite3.Connection, scopes: Iterable[str], now: datetime) -> None:
    """Touch each capped scope's guard row before its count is trusted.

    SQLite's single writer already serialises check and insert. On PostgreSQL, two calls that
    both counted one place left under a cap both touch this row, so the second to commit fails
    with a serialization failure and its batch runs again on a snapshot holding the first call:
    the cap is never exceeded across nodes. Sorted, so batches guarding several scopes never
    deadlock on them. On SQLite it writes nothing: that would be one more statement on every
    capped call's path for no gain.
    """
    if isinstance(conn, sqlite3.Connection):
        return
    for scope in sorted(set(scopes)):
        conn.execute(
            "INSERT INTO cap_guards (scope, touched_at) VALUES (?, ?) "
            "ON CONFLICT (scope) DO UPDATE SET touched_at = excluded.touched_at",
            (scope, instant(now)),
        )
