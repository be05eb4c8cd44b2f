"""Pool numbers and their leases: which visitor session is being shown which pool number.

A lease is a row of `pool_numbers` whose `expires_at` is in the future. Leases end by time, so
a crash never strands a number, and the least-recently-freed number is taken first, so a
number just released is the last to be shown to someone else. A lease also keeps the address
of the client it was taken or last renewed for (`holder_ip`, stored as privacy says), so the
per-address limit counts a pool-sized table instead of the ever-growing sessions.

This module writes leases (take, renew, release) and counts an address's for the limit
checked before a take; lease_reads.py reads them for the pool table and the API.
"""

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from callserver.store.columns import instant, parse_instant
from callserver.store.transactions import first_row


@dataclass(frozen=True)
class Lease:
    number: str
    pool: str
    session_id: str
    leased_at: datetime
    expires_at: datetime


LEASE_COLUMNS = "number, pool, session_id, leased_at, expires_at"

# The session's own number in the pool (it holds at most one: `acquire` renews before it takes),
# live or lapsed but not yet given to anyone else. The outer `session_id` is what a READ
# COMMITTED update re-checks if another node took the lapsed number meanwhile: then no row.
_RENEW = f"""
    UPDATE pool_numbers
    SET expires_at = :expires,
        leased_at = CASE WHEN expires_at > :now THEN leased_at ELSE :now END,
        holder_ip = coalesce(:ip, holder_ip)
    WHERE session_id = :session AND number = (
        SELECT number FROM pool_numbers WHERE session_id = :session AND pool = :pool LIMIT 1)
    RETURNING {LEASE_COLUMNS}
"""

# One statement: atomic under SQLite's single writer. On PostgreSQL the sub-select locks the
# number it picks, SKIP LOCKED passing over one another node is taking right now, and re-reads
# a row changed since the statement began (READ COMMITTED): two nodes never take one number,
# and under a storm they take different numbers instead of colliding on the
# least-recently-freed one. In REPEATABLE READ such a change is a lost race: the write runs
# again.
_TAKE = """
    UPDATE pool_numbers
    SET session_id = :session, leased_at = :now, expires_at = :expires, holder_ip = :ip
    WHERE number = (
        SELECT number FROM pool_numbers
        WHERE pool = :pool AND (expires_at IS NULL OR expires_at <= :now)
        ORDER BY expires_at NULLS FIRST, number LIMIT 1{lock})
    RETURNING number
"""
_TAKE_SQLITE = _TAKE.format(lock="")
_TAKE_POSTGRES = _TAKE.format(lock=" FOR UPDATE SKIP LOCKED")


def acquire(
    conn: sqlite3.Connection, pool: str, session_id: str, now: datetime, ttl: timedelta,
    holder_ip: str | None = None,
) -> Lease | None:
    """Lease a number of `pool` to the session until `now + ttl`.

    A session that already has a number keeps it (renewed, even if it had lapsed, as long as
    no one else took it); otherwise it gets the least-recently-freed free number. None means
    the pool is exhausted, which is recorded so that it shows in the pool's statistics.
    """
    return (renew(conn, pool, session_id, now, ttl, holder_ip)
            or take(conn, pool, session_id, now, ttl, holder_ip))


def renew(
    conn: sqlite3.Connection, pool: str, session_id: str, now: datetime, ttl: timedelta,
    holder_ip: str | None = None,
) -> Lease | None:
    """Extend the session's own number of `pool` to `now + ttl`; None if it has none left."""
    row = first_row(conn, _RENEW, _params(pool, session_id, now, ttl, holder_ip))
    return None if row is None else lease_of(row)


def take(
    conn: sqlite3.Connection, pool: str, session_id: str, now: datetime, ttl: timedelta,
    holder_ip: str | None = None,
) -> Lease | None:
    """Lease the least-recently-freed free number; None (and an exhaustion recorded) if none."""
    sql = _TAKE_SQLITE if isinstance(conn, sqlite3.Connection) else _TAKE_POSTGRES
    return taken(conn, first_row(conn, sql, _params(pool, session_id, now, ttl, holder_ip)),
                 pool, session_id, now, ttl)


def taken(conn: sqlite3.Connection, row: sqlite3.Row | None, pool: str, session_id: str,
          now: datetime, ttl: timedelta) -> Lease | None:
    """The lease a take's `RETURNING number` row stands for (what it wrote, not read back and
    parsed again); None, with the exhaustion recorded, when it found no free number."""
    if row is None:
        record_exhaustion(conn, pool, now, session_id)
        return None
    return Lease(row[0], pool, session_id, now, now + ttl)


def held_by_ip(conn: sqlite3.Connection, ip: str, now: datetime) -> int:
    """Live leases taken or last renewed for `ip` (as stored: truncated or hashed alike)."""
    (count,) = conn.execute(
        "SELECT count(*) FROM pool_numbers WHERE holder_ip = ? AND expires_at > ?",
        (ip, instant(now))).fetchone()
    return int(count)


def record_exhaustion(conn: sqlite3.Connection, pool: str, now: datetime,
                      session_id: str) -> None:
    """A visitor found no free number: counted in the pool's statistics and metrics."""
    conn.execute(
        "INSERT INTO pool_exhaustions (pool, at, session_id) VALUES (?, ?, ?)",
        (pool, instant(now), session_id),
    )


def release(
    conn: sqlite3.Connection, number: str, now: datetime, session_id: str | None = None
) -> bool:
    """End the number's live lease now (its call finished); False if it had none.

    With `session_id`, only while that session still holds it: a call that came within grace
    of the lease's end must not cut short the lease of whoever holds the number now. The swap
    endpoint also gives a number back this way when its session moves to another pool.
    """
    stamp = instant(now)
    held = "" if session_id is None else " AND session_id = :session"
    cursor = conn.execute(
        f"UPDATE pool_numbers SET expires_at = :now "
        f"WHERE number = :number AND expires_at > :now{held}",
        {"now": stamp, "number": number, "session": session_id},
    )
    return cursor.rowcount == 1


def _params(pool: str, session_id: str, now: datetime, ttl: timedelta,
            holder_ip: str | None) -> dict[str, str | None]:
    return {
        "pool": pool,
        "session": session_id,
        "now": instant(now),
        "expires": instant(now + ttl),
        "ip": holder_ip,
    }


def lease_of(row: sqlite3.Row) -> Lease:
    return Lease(
        number=row["number"],
        pool=row["pool"],
        session_id=row["session_id"],
        leased_at=parse_instant(row["leased_at"]),
        expires_at=parse_instant(row["expires_at"]),
    )
