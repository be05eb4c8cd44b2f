"""How many calls the store holds: per status for the metrics scrape, and started since an
instant per number, campaign or answering target for caps. Test calls count in neither.
"""

import sqlite3
from datetime import datetime
from typing import Literal

from callserver.store.call_values import CallStatus
from callserver.store.columns import instant

# Calls turned away before reaching anyone do not use up a cap.
_NOT_COUNTED = (CallStatus.CLOSED, CallStatus.CAPPED, CallStatus.UNKNOWN_NUMBER,
                CallStatus.RELEASED)
_SCOPES = {"number": "number", "campaign": "campaign", "target": "answered_target"}


def count_by_status(conn: sqlite3.Connection) -> dict[CallStatus, int]:
    """How many call records are in each status (every status present, zero if none), test
    calls left out: the metrics scrape's view of the store, in one indexed scan."""
    rows = conn.execute("SELECT status, count(*) FROM calls WHERE test = 0 GROUP BY status")
    counts = dict.fromkeys(CallStatus, 0)
    counts.update({CallStatus(status): count for status, count in rows})
    return counts


def count_since(
    conn: sqlite3.Connection,
    scope: Literal["number", "campaign", "target"],
    key: str,
    since: datetime,
    up_to: int | None = None,
) -> int:
    """Calls started since `since` to a number, in a campaign, or answered by a target (caps).

    Calls turned away (closed, capped, unknown number) are not counted, nor test calls: a
    monitor's calls must never cap out real callers. With `up_to`, counting stops there: a
    cap only needs to know whether its limit is reached, and a busy number's day would
    otherwise cost a scan of every call it took.
    """
    bound = "" if up_to is None else " LIMIT ?"
    (count,) = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM calls WHERE {_SCOPES[scope]} = ? "
        "AND started_at >= ? AND test = 0 "
        f"AND status NOT IN ({', '.join('?' for _ in _NOT_COUNTED)}){bound}) AS counted",
        (key, instant(since), *_NOT_COUNTED, *(() if up_to is None else (up_to,))),
    ).fetchone()
    return int(count)
