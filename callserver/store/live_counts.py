"""Calls in progress, counted from the store so that every node sees the calls of all nodes:
per number and campaign from the call rows, per target from `call_targets` (the targets each
call is ringing or talking to). A call stops counting once its row ends; a dead node's calls
end when a live node's sweep closes them (`nodes.sweep`), so they count until then, never less.
"""

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

from callserver.hours.caps import CapCheck, Caps, Counters, check_caps
from callserver.store import cap_guards

# Literal 'in-progress' (not a parameter), so both engines use the partial indexes of 0008.
_LIVE = {
    "number": "SELECT 1 FROM calls WHERE number = ? AND status = 'in-progress'",
    "campaign": "SELECT 1 FROM calls WHERE campaign = ? AND status = 'in-progress'",
    "target": "SELECT 1 FROM call_targets AS t JOIN calls AS c ON c.id = t.call_id "
              "WHERE t.target = ? AND c.status = 'in-progress'",
}


def count(conn: sqlite3.Connection, kind: Literal["number", "campaign", "target"], key: str,
          up_to: int) -> int:
    """Calls in progress to a number, in a campaign, or holding a target, up to `up_to`
    (a cap only needs to know whether its limit is reached)."""
    (found,) = conn.execute(
        f"SELECT count(*) FROM ({_LIVE[kind]} LIMIT ?) AS live", (key, up_to)
    ).fetchone()
    return int(found)


def hold(conn: sqlite3.Connection, call_id: str, limits: Mapping[str, int], now: datetime,
         seen: Mapping[str, int]) -> tuple[CapCheck, ...]:
    """Hold each target of `limits` for the call unless its calls in progress (the store's,
    or `seen` elsewhere when that is more) reached its concurrency limit; one check per
    target, blocked where it was not held.

    Guarded (`cap_guards.guard`), so two nodes holding a target's last place conflict and one
    of them counts again: a target's cap is never exceeded across nodes.
    """
    cap_guards.guard(conn, (f"target:{target}" for target in limits), now)
    checks: list[CapCheck] = []
    for target, limit in sorted(limits.items()):
        taken = max(count(conn, "target", target, limit), seen.get(target, 0))
        (check,) = check_caps(f"target:{target}", Caps(concurrency=limit),
                              Counters(concurrency=taken))
        checks.append(check)
        if not check.blocked:
            conn.execute(
                "INSERT INTO call_targets (target, call_id) VALUES (?, ?) "
                "ON CONFLICT (target, call_id) DO NOTHING",
                (target, call_id),
            )
    return tuple(checks)


def release(conn: sqlite3.Connection, call_ids: Iterable[str]) -> None:
    """The calls no longer hold any target (their Dial ended, or they did)."""
    conn.executemany("DELETE FROM call_targets WHERE call_id = ?",
                     [(call_id,) for call_id in call_ids])
