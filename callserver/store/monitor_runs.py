"""The monitor's schedule state, shared by every node on the store: each number's last
verdict and the claim of the node calling it now.

A node takes a number's turn with one upsert that succeeds only if the number is due by its
stored result and no live claim holds it, so of several nodes one calls; on PostgreSQL two
racing for one row conflict on it and the loser's batch runs again on a snapshot that sees the
winner's claim. A claim ends when its node writes the verdict, or at `claimed_until`.
"""

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from callserver.store.columns import (
    from_json,
    instant,
    parse_optional_instant,
    to_json,
)


@dataclass(frozen=True)
class Run:
    number: str
    verdict: Mapping[str, Any] | None  # the last test call's verdict JSON; None before one
    ok: bool | None
    ran_at: datetime | None  # when the last test call ended
    claimed_by: str | None
    claimed_until: datetime | None


_CLAIM = """
    INSERT INTO monitor_runs (number, claimed_by, claimed_until) VALUES (:number, :node, :until)
    ON CONFLICT (number) DO UPDATE
    SET claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
    WHERE (monitor_runs.claimed_until IS NULL OR monitor_runs.claimed_until <= :now)
      AND (monitor_runs.ran_at IS NULL OR monitor_runs.ran_at
           <= CASE WHEN monitor_runs.ok = 1 THEN :passed_before ELSE :failed_before END)
    RETURNING number
"""


def claim(conn: sqlite3.Connection, number: str, node: str, now: datetime, until: datetime,
          passed_before: datetime, failed_before: datetime) -> bool:
    """Take `number`'s turn for `node` until `until`: True if it was free and due (never
    called, or last called before `passed_before` with a pass, `failed_before` with a fail)."""
    rows = conn.execute(_CLAIM, {
        "number": number, "node": node, "until": instant(until), "now": instant(now),
        "passed_before": instant(passed_before), "failed_before": instant(failed_before),
    }).fetchall()
    return bool(rows)


def finish(conn: sqlite3.Connection, number: str, node: str, verdict: Mapping[str, Any],
           ok: bool, ran_at: datetime) -> bool:
    """Store `node`'s verdict and end its claim; False (nothing written) if the claim is no
    longer its own: it expired and another node took the number's turn."""
    cursor = conn.execute(
        "UPDATE monitor_runs SET verdict = ?, ok = ?, ran_at = ?, claimed_by = NULL, "
        "claimed_until = NULL WHERE number = ? AND claimed_by = ?",
        (to_json(dict(verdict)), int(ok), instant(ran_at), number, node))
    return cursor.rowcount == 1


def release(conn: sqlite3.Connection, node: str) -> None:
    """End every claim of `node` (stopping, or starting after a crash), results kept."""
    conn.execute("UPDATE monitor_runs SET claimed_by = NULL, claimed_until = NULL "
                 "WHERE claimed_by = ?", (node,))


def runs(conn: sqlite3.Connection) -> list[Run]:
    rows = conn.execute("SELECT number, verdict, ok, ran_at, claimed_by, claimed_until "
                        "FROM monitor_runs ORDER BY number")
    return [Run(row["number"], None if row["verdict"] is None else from_json(row["verdict"]),
                None if row["ok"] is None else bool(row["ok"]),
                parse_optional_instant(row["ran_at"]), row["claimed_by"],
                parse_optional_instant(row["claimed_until"])) for row in rows]
