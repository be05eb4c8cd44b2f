"""Has this caller called the campaign before? What `conversion.repeat_within_days` asks."""

import sqlite3
from datetime import datetime

from callserver.store.columns import instant
from callserver.store.transactions import first_row


def called_before(conn: sqlite3.Connection, campaign: str, caller: str, since: datetime,
                  call_id: str, until: datetime) -> bool:
    """An ordinary (not test) call from `caller` to `campaign` started in [since, until),
    other than `call_id`."""
    return first_row(
        conn,
        "SELECT 1 FROM calls WHERE caller = ? AND started_at >= ? AND started_at < ? "
        "AND campaign = ? AND id <> ? AND test = 0 LIMIT 1",
        (caller, instant(since), instant(until), campaign, call_id)) is not None
