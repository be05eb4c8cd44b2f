"""Store side of the call list: one page of calls, newest first, and a single call, each
confined to the filter's publisher scope and read with the web visit behind each call in the
same statement (see `callserver.store.call_visits`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from callserver.reports.cursor import Position
from callserver.reports.filter_sql import where
from callserver.reports.filters import CallFilter
from callserver.store import call_visits
from callserver.store.call_rows import COLUMNS
from callserver.store.call_values import Call
from callserver.store.call_visits import CallVisit

PAGE_MAX = 500


@dataclass(frozen=True)
class Page:
    """Up to `limit` calls with their visits; `next` is where the following page starts, None
    on the last."""

    visits: tuple[CallVisit, ...]
    next: Position | None

    @property
    def calls(self) -> tuple[Call, ...]:
        return tuple(found.call for found in self.visits)


def page(conn: sqlite3.Connection, f: CallFilter, after: Position | None, limit: int) -> Page:
    if not 1 <= limit <= PAGE_MAX:
        raise ValueError(f"limit {limit} outside 1..{PAGE_MAX}")
    sql, params = where(f)
    if after is not None:
        sql += " AND (started_at, id) < (?, ?)"
        params += (after.started_at, after.id)
    chosen = (f"SELECT {COLUMNS} FROM calls WHERE {sql} "
              "ORDER BY started_at DESC, id DESC LIMIT ?")
    rows = conn.execute(call_visits.joined(chosen), (*params, limit + 1)).fetchall()
    shown = tuple(call_visits.call_visit(row) for row in rows[:limit])
    last = rows[limit - 1] if len(rows) > limit else None
    return Page(shown, None if last is None else Position(last["started_at"], last["id"]))


def find(conn: sqlite3.Connection, call_id: str, scope: str | None) -> CallVisit | None:
    """The call, or None if there is none or it belongs to another publisher than `scope`."""
    found = call_visits.get(conn, call_id)
    return found if found is not None and scope in (None, found.call.publisher) else None
