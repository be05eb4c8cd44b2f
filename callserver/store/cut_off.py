"""Calls cut off mid-flow: closed as 'interrupted' when their node crashed or stopped, waiting
for AMI to say how they really ended, and given up on when it cannot.

A call left 'in-progress' becomes 'interrupted' at the next start of its node, or once another
node sees it dead (`mark_interrupted`). AMI's hang-up may still complete it (`calls.complete`)
until the wait is given up (`give_up`: its channel is gone from the PBX, or AMI is off), which
makes it final. `orphaned` names those no live node's AMI follows. Write these durably.
"""

import sqlite3
from collections.abc import Collection
from datetime import datetime

from callserver.store.call_rows import COLUMNS, call_of
from callserver.store.call_values import Call, CallStatus
from callserver.store.columns import instant
from callserver.store.transactions import first_row

# Literal 'interrupted' (not a parameter), so both engines use the partial index of 0010.
_WAITING = "status = 'interrupted' AND settled_at IS NULL"


def mark_interrupted(conn: sqlite3.Connection, now: datetime,
                     nodes: Collection[str | None] | None = None) -> list[str]:
    """Close calls cut off by a crash as 'interrupted'; returns their ids.

    With `nodes`, only the calls those nodes took (None: calls no node took, written before
    nodes existed): several nodes share the store, and another live node's calls are live.
    """
    named = [name for name in nodes or () if name is not None]
    owners = ([f"node IN ({', '.join('?' for _ in named)})"] if named else []) + (
        ["node IS NULL"] if nodes is not None and None in nodes else [])
    owned = "" if nodes is None else f" AND ({' OR '.join(owners) or '0 = 1'})"
    rows = conn.execute(
        f"UPDATE calls SET status = ?, ended_at = ? WHERE status = ?{owned} RETURNING id",
        (CallStatus.INTERRUPTED, instant(now), CallStatus.IN_PROGRESS, *named),
    ).fetchall()
    return sorted(row["id"] for row in rows)


def give_up(conn: sqlite3.Connection, now: datetime, followed: Collection[str] = (),
            ended_before: datetime | None = None) -> list[Call]:
    """Stop waiting for AMI on interrupted calls it can no longer report: those whose caller
    channel is not in `followed` (and, with `ended_before`, interrupted before it). Returns the
    calls this write settled, for it to enqueue their endings: a call is settled once, so
    another node, or a second reconnect, gets nothing back."""
    bound = "" if ended_before is None else " AND ended_at < ?"
    rows = conn.execute(
        f"SELECT id, uniqueid FROM calls WHERE {_WAITING}{bound} ORDER BY ended_at, id",
        () if ended_before is None else (instant(ended_before),),
    ).fetchall()
    settled = (first_row(conn, f"UPDATE calls SET settled_at = ? WHERE id = ? AND {_WAITING} "
                               f"RETURNING {COLUMNS}",
                         (instant(now), row["id"]))
               for row in rows if row["uniqueid"] is None or row["uniqueid"] not in followed)
    return [call_of(row) for row in settled if row is not None]


def orphaned(conn: sqlite3.Connection) -> list[str]:
    """Interrupted calls still waiting for AMI whose node is no longer listed (it stopped
    cleanly, or died and was swept): no node's AMI follows them unless one asks Asterisk."""
    rows = conn.execute(
        f"SELECT id FROM calls WHERE {_WAITING} "
        "AND (node IS NULL OR node NOT IN (SELECT node FROM nodes)) ORDER BY id"
    ).fetchall()
    return [row["id"] for row in rows]
