"""The pool table itself: kept in step with the config's pools, numbers withdrawn from it when
released, and the counts the pool statistics and metrics read (`leases` holds the leases)."""

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from callserver.store.columns import instant


@dataclass(frozen=True)
class PoolUsage:
    size: int
    active: int


def sync_pool_numbers(conn: sqlite3.Connection, pool: str, numbers: Iterable[str]) -> None:
    """Make the pool hold exactly `numbers` (from config): add new ones, drop the rest.

    Numbers that stay keep their leases; a number moved here from another pool keeps its lease
    until it expires.
    """
    wanted = sorted(set(numbers))
    kept = f" AND number NOT IN ({', '.join('?' for _ in wanted)})" if wanted else ""
    conn.execute(f"DELETE FROM pool_numbers WHERE pool = ?{kept}", (pool, *wanted))
    conn.executemany(
        "INSERT INTO pool_numbers (number, pool) VALUES (?, ?) "
        "ON CONFLICT (number) DO UPDATE SET pool = excluded.pool",
        [(number, pool) for number in wanted],
    )


def withdraw(conn: sqlite3.Connection, numbers: Iterable[str], now: datetime) -> list[str]:
    """Take released numbers out of their pools at once: no lease is taken on them again (the
    next sync leaves them out too); returns those whose live lease this ended."""
    gone = sorted(set(numbers))
    if not gone:
        return []
    rows = conn.execute(
        f"DELETE FROM pool_numbers WHERE number IN ({', '.join('?' for _ in gone)}) "
        "RETURNING number, expires_at > ?",
        (*gone, instant(now)),
    ).fetchall()
    return sorted(number for number, was_live in rows if was_live)


def sync_pools(conn: sqlite3.Connection, pools: Mapping[str, Iterable[str]]) -> None:
    """Make the store hold exactly the config's pools: each synced, pools no longer there gone."""
    kept = f" WHERE pool NOT IN ({', '.join('?' for _ in pools)})" if pools else ""
    conn.execute(f"DELETE FROM pool_numbers{kept}", tuple(sorted(pools)))
    for pool, numbers in pools.items():
        sync_pool_numbers(conn, pool, numbers)


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


def exhaustions_by_pool(conn: sqlite3.Connection) -> dict[str, int]:
    """Every exhaustion ever recorded, per pool: the rows are never deleted, so this only
    grows, as a Prometheus counter must."""
    rows = conn.execute("SELECT pool, count(*) FROM pool_exhaustions GROUP BY pool")
    return {pool: int(count) for pool, count in rows}
