"""Finding a test call's record: the first call to the number that started while the test
call was on the line (with a little slack for the PBX's and callserver's clocks), a call
flagged as a test call (from `monitor.caller_id`) before any customer's call of that span."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from callserver.store import calls
from callserver.store.call_values import Call
from callserver.store.columns import instant
from callserver.store.transactions import first_row

CLOCK_SLACK = timedelta(seconds=2)
# (number, placed_at, ended_at) -> the record: each caller brings its own store access.
Lookup = Callable[[str, datetime, datetime], Awaitable[Call | None]]


def find_test_call(conn: sqlite3.Connection, number: str, placed_at: datetime,
                   ended_at: datetime) -> Call | None:
    """The call to `number` started between `placed_at` and `ended_at` (± slack), test calls
    first, then earliest first; uses the calls_by_number index."""
    row = first_row(
        conn,
        "SELECT id FROM calls WHERE number = ? AND started_at BETWEEN ? AND ? "
        "ORDER BY test DESC, started_at LIMIT 1",
        (number, instant(placed_at - CLOCK_SLACK), instant(ended_at + CLOCK_SLACK)),
    )
    return None if row is None else calls.get(conn, row[0])
