"""The pool leases as they stand, for the pool table, the API and the tests: a pool's live
ones and a number's current or last. Reads only; leases.py writes them.
"""

import sqlite3
from datetime import datetime

from callserver.store.columns import instant
from callserver.store.leases import LEASE_COLUMNS, Lease, lease_of
from callserver.store.transactions import first_row


def live(conn: sqlite3.Connection, pool: str, now: datetime) -> list[Lease]:
    """The pool's leases running at `now`, soonest to end first."""
    rows = conn.execute(
        f"SELECT {LEASE_COLUMNS} FROM pool_numbers WHERE pool = ? AND expires_at > ? "
        "ORDER BY expires_at, number",
        (pool, instant(now)),
    )
    return [lease_of(row) for row in rows]


def get(conn: sqlite3.Connection, number: str) -> Lease | None:
    """The number's current or last lease (compare `expires_at` with now), None if never leased."""
    row = first_row(
        conn,
        f"SELECT {LEASE_COLUMNS} FROM pool_numbers WHERE number = ? AND session_id IS NOT NULL",
        (number,),
    )
    return None if row is None else lease_of(row)
