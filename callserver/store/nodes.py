"""Nodes sharing one store: each writes a heartbeat, and one silent too long is dead.

A dead node's calls in progress are closed as 'interrupted' by whichever live node notices
first (the update is idempotent, so two noticing together close each call once), and the
webhook deliveries its worker had claimed are due again at once, as are its monitor turns. A
node starting does the same for what its last run left, and closes the calls no node took.
"""

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from callserver.store import cut_off, live_counts, monitor_runs, outbox
from callserver.store.columns import instant


@dataclass(frozen=True)
class Swept:
    """What one sweep took over from nodes gone: calls closed, deliveries due again; and every
    interrupted call waiting for AMI that no listed node took (`cut_off.orphaned`)."""

    calls: tuple[str, ...] = ()
    deliveries: tuple[str, ...] = ()
    orphans: tuple[str, ...] = ()


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
          starting: bool = False) -> Swept:
    """Beat, then close the calls of dead nodes and make their claimed deliveries due (and,
    `starting`, this node's own from its last run, and the calls no node took), then forget
    the dead."""
    beat(conn, node, now)
    gone = dead(conn, node, now, silent_for)
    left = [*gone, node] if starting else gone
    owners: list[str | None] = [*left, None] if starting else [*left]
    closed = cut_off.mark_interrupted(conn, now, owners) if owners else []
    live_counts.release(conn, closed)
    released = outbox.release_claims(conn, left, now)
    for name in gone:  # their monitor turns too: another node's test call need not wait
        monitor_runs.release(conn, name)
    conn.executemany("DELETE FROM nodes WHERE node = ?", [(name,) for name in gone])
    return Swept(tuple(closed), tuple(released), tuple(cut_off.orphaned(conn)))


def leave(conn: sqlite3.Connection, node: str) -> None:
    """A node stopping cleanly: its calls were closed as it stopped."""
    conn.execute("DELETE FROM nodes WHERE node = ?", (node,))


def listed(conn: sqlite3.Connection) -> list[str]:
    """Every node believed alive (or not yet noticed dead)."""
    return [row["node"] for row in conn.execute("SELECT node FROM nodes ORDER BY node")]
