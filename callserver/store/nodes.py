"""Nodes sharing one store: each writes a heartbeat, and one silent too long is dead.

A dead node's calls in progress are closed as 'interrupted' by whichever live node notices
first (the update is idempotent, so two noticing together close each call once). A node
starting closes its own calls left by its last run and those no node took.
"""

import sqlite3
from datetime import datetime, timedelta

from callserver.store import calls
from callserver.store.columns import instant


def beat(conn: sqlite3.Connection, node: str, now: datetime) -> None:
    """Record that `node` is alive at `now` (joining if it is not listed)."""
    conn.execute(
        "INSERT INTO nodes (node, started_at, heartbeat_at) VALUES (?, ?, ?) "
        "ON CONFLICT (node) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
        (node, instant(now), instant(now)),
    )


def dead(conn: sqlite3.Connection, node: str, now: datetime, silent_for: timedelta) -> list[str]:
    """Other nodes whose last heartbeat is older than `silent_for`."""
    rows = conn.execute(
        "SELECT node FROM nodes WHERE heartbeat_at < ? AND node <> ? ORDER BY node",
        (instant(now - silent_for), node),
    )
    return [row["node"] for row in rows]


def sweep(conn: sqlite3.Connection, node: str, now: datetime, silent_for: timedelta,
          starting: bool = False) -> list[str]:
    """Beat, then close the calls of dead nodes (and, `starting`, this node's own and those no
    node took) and forget the dead; returns the ids of the calls closed."""
    beat(conn, node, now)
    gone = dead(conn, node, now, silent_for)
    owners: list[str | None] = [*gone, node, None] if starting else [*gone]
    closed = calls.mark_interrupted(conn, now, owners) if owners else []
    conn.executemany("DELETE FROM nodes WHERE node = ?", [(name,) for name in gone])
    return closed


def leave(conn: sqlite3.Connection, node: str) -> None:
    """A node stopping cleanly: its calls were closed as it stopped."""
    conn.execute("DELETE FROM nodes WHERE node = ?", (node,))


def listed(conn: sqlite3.Connection) -> list[str]:
    """Every node believed alive (or not yet noticed dead)."""
    return [row["node"] for row in conn.execute("SELECT node FROM nodes ORDER BY node")]
