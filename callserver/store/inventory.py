"""The number inventory: every number callserver has tracked, with where it was last in service
and when it was released (the rules are in `callserver.numbers.plan`)."""

import sqlite3
from collections.abc import Iterable

from callserver.numbers.plan import Entry
from callserver.store.call_values import CallStatus
from callserver.store.columns import (
    instant,
    optional_instant,
    parse_instant,
    parse_optional_instant,
)
from callserver.store.transactions import first_row

_COLUMNS = "number, kind, country, region, campaign, pool, role, first_seen, released_at, listed"


def entries(conn: sqlite3.Connection) -> dict[str, Entry]:
    """The whole inventory by number (a few thousand rows at most: one per number bought)."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM numbers ORDER BY number")
    return {row["number"]: _entry(row) for row in rows}


def get(conn: sqlite3.Connection, number: str) -> Entry | None:
    row = first_row(conn, f"SELECT {_COLUMNS} FROM numbers WHERE number = ?", (number,))
    return None if row is None else _entry(row)


def save(conn: sqlite3.Connection, changed: Iterable[Entry]) -> None:
    conn.executemany(
        f"INSERT INTO numbers ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (number) DO UPDATE SET kind = excluded.kind, country = excluded.country, "
        "region = excluded.region, campaign = excluded.campaign, pool = excluded.pool, "
        "role = excluded.role, released_at = excluded.released_at, listed = excluded.listed",
        [(e.number, e.kind, e.country, e.region, e.campaign, e.pool, e.role,
          instant(e.first_seen), optional_instant(e.released_at), int(e.listed))
         for e in changed],
    )


def stray_calls(conn: sqlite3.Connection, numbers: Iterable[str]) -> dict[str, int]:
    """Calls recorded `released` per number: the stray traffic a released number still gets."""
    asked = sorted(set(numbers))
    if not asked:
        return {}
    rows = conn.execute(
        "SELECT number, count(*) FROM calls WHERE status = ? "
        f"AND number IN ({', '.join('?' for _ in asked)}) GROUP BY number",
        (CallStatus.RELEASED, *asked),
    )
    return {number: int(count) for number, count in rows}


def with_stray_calls(conn: sqlite3.Connection) -> tuple[dict[str, Entry], dict[str, int]]:
    """The whole inventory and each number's stray calls, in one read: what a listing shows."""
    found = entries(conn)
    return found, stray_calls(conn, found)


def exists(conn: sqlite3.Connection) -> bool:
    """Whether the file has the inventory yet (a read-only look at an older file may not)."""
    return first_row(conn, "SELECT 1 FROM schema_version WHERE version >= ?",
                     (5,)) is not None


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(number=row["number"], kind=row["kind"], country=row["country"],
                 region=row["region"], campaign=row["campaign"], pool=row["pool"],
                 role=row["role"], first_seen=parse_instant(row["first_seen"]),
                 released_at=parse_optional_instant(row["released_at"]),
                 listed=bool(row["listed"]))

