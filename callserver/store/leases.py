"""Pool numbers and their leases: which visitor session is being shown which pool number.

A lease is a row of `pool_numbers` whose `expires_at` is in the future. Leases end by time, so
a crash never strands a number, and the least-recently-freed number is taken first, so a
number just released is the last to be shown to someone else.
"""

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from callserver.store.columns import instant, parse_instant, to_json
from callserver.store.transactions import first_row


@dataclass(frozen=True)
class Lease:
    number: str
    pool: str
    session_id: str
    leased_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class PoolUsage:
    size: int
    active: int


_LEASE = "number, pool, session_id, leased_at, expires_at"

# The session's own number in the pool (it holds at most one: `acquire` renews before it takes),
# live or lapsed but not yet given to anyone else.
_RENEW = f"""
    UPDATE pool_numbers
    SET expires_at = :expires,
        leased_at = CASE WHEN expires_at > :now THEN leased_at ELSE :now END
    WHERE number = (
        SELECT number FROM pool_numbers WHERE session_id = :session AND pool = :pool LIMIT 1)
    RETURNING {_LEASE}
"""

# One statement, so atomic under SQLite's single writer (PostgreSQL would need SKIP LOCKED).
_TAKE = f"""
    UPDATE pool_numbers
    SET session_id = :session, leased_at = :now, expires_at = :expires
    WHERE number = (
        SELECT number FROM pool_numbers
        WHERE pool = :pool AND (expires_at IS NULL OR expires_at <= :now)
        ORDER BY expires_at, number LIMIT 1)
    RETURNING {_LEASE}
"""


def acquire(
    conn: sqlite3.Connection, pool: str, session_id: str, now: datetime, ttl: timedelta
) -> Lease | None:
    """Lease a number of `pool` to the session until `now + ttl`.

    A session that already has a number keeps it (renewed, even if it had lapsed, as long as
    no one else took it); otherwise it gets the least-recently-freed free number. None means
    the pool is exhausted, which is recorded so that it shows in the pool's statistics.
    """
    params = {
        "pool": pool,
        "session": session_id,
        "now": instant(now),
        "expires": instant(now + ttl),
    }
    row = first_row(conn, _RENEW, params) or first_row(conn, _TAKE, params)
    if row is None:
        conn.execute(
            "INSERT INTO pool_exhaustions (pool, at, session_id) VALUES (?, ?, ?)",
            (pool, instant(now), session_id),
        )
        return None
    return _lease(row)


def release(conn: sqlite3.Connection, number: str, now: datetime) -> bool:
    """End the number's live lease now (its call finished); False if it had none."""
    stamp = instant(now)
    cursor = conn.execute(
        "UPDATE pool_numbers SET expires_at = ? WHERE number = ? AND expires_at > ?",
        (stamp, number, stamp),
    )
    return cursor.rowcount == 1


def get(conn: sqlite3.Connection, number: str) -> Lease | None:
    """The number's current or last lease (compare `expires_at` with now), None if never leased."""
    row = first_row(
        conn,
        f"SELECT {_LEASE} FROM pool_numbers WHERE number = ? AND session_id IS NOT NULL",
        (number,),
    )
    return None if row is None else _lease(row)


def sync_pool_numbers(conn: sqlite3.Connection, pool: str, numbers: Iterable[str]) -> None:
    """Make the pool hold exactly `numbers` (from config): add new ones, drop the rest.

    Numbers that stay keep their leases; a number moved here from another pool keeps its lease
    until it expires.
    """
    wanted = sorted(set(numbers))
    conn.execute(
        "DELETE FROM pool_numbers "
        "WHERE pool = ? AND number NOT IN (SELECT value FROM json_each(?))",
        (pool, to_json(wanted)),
    )
    conn.executemany(
        "INSERT INTO pool_numbers (number, pool) VALUES (?, ?) "
        "ON CONFLICT (number) DO UPDATE SET pool = excluded.pool",
        [(number, pool) for number in wanted],
    )


def usage(conn: sqlite3.Connection, now: datetime) -> dict[str, PoolUsage]:
    """Size and live leases of every pool, to tell when a pool is too small."""
    rows = conn.execute(
        "SELECT pool, count(*), count(*) FILTER (WHERE expires_at > ?) "
        "FROM pool_numbers GROUP BY pool",
        (instant(now),),
    )
    return {pool: PoolUsage(size, active) for pool, size, active in rows}


def exhaustions_since(conn: sqlite3.Connection, pool: str, since: datetime) -> int:
    (count,) = conn.execute(
        "SELECT count(*) FROM pool_exhaustions WHERE pool = ? AND at >= ?",
        (pool, instant(since)),
    ).fetchone()
    return int(count)


def _lease(row: sqlite3.Row) -> Lease:
    return Lease(
        number=row["number"],
        pool=row["pool"],
        session_id=row["session_id"],
        leased_at=parse_instant(row["leased_at"]),
        expires_at=parse_instant(row["expires_at"]),
    )
