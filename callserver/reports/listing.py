"""Store side of the call list: one page of calls, newest first, and a single call, each
confined to the filter's publisher scope."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from callserver.reports.cursor import Position
from callserver.reports.filters import CallFilter, where
from callserver.store import calls
from callserver.store.calls import Call

PAGE_MAX = 500


@dataclass(frozen=True)
class Page:
    """Up to `limit` calls; `next` is where the following page starts, None on the last."""

    calls: tuple[Call, ...]
    next: Position | None


def page(conn: sqlite3.Connection, f: CallFilter, after: Position | None, limit: int) -> Page:
    if not 1 <= limit <= PAGE_MAX:
        raise ValueError(f"limit {limit} outside 1..{PAGE_MAX}")
    sql, params = where(f)
    if after is not None:
        sql += " AND (started_at, id) < (?, ?)"
        params += (after.started_at, after.id)
    rows = conn.execute(
        f"SELECT id, started_at FROM calls WHERE {sql} ORDER BY started_at DESC, id DESC "
        "LIMIT ?", (*params, limit + 1)).fetchall()
    shown = rows[:limit]
    found = tuple(call for row in shown if (call := calls.get(conn, row[0])) is not None)
    more = len(rows) > limit
    return Page(found, Position(shown[-1][1], shown[-1][0]) if more else None)


def find(conn: sqlite3.Connection, call_id: str, scope: str | None) -> Call | None:
    """The call, or None if there is none or it belongs to another publisher than `scope`."""
    call = calls.get(conn, call_id)
    return call if call is not None and scope in (None, call.publisher) else None
