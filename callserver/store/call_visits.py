"""Calls with the web visit each was attributed to, read in the statement that reads the calls.

A call's `session_id` names the visitor session it was matched to (by a pool number's lease);
the session's row is LEFT JOINed on it, so a page of calls costs one query, not one per call,
and a call without a session (or whose session is gone) comes back with `visit` None. The
calls are selected by an inner statement first and joined after, so the caller's `WHERE`
names the calls' columns unqualified, as every other call query does, although the sessions
have columns of the same names (campaign, source, number).
"""

import sqlite3
from dataclasses import dataclass, fields

from callserver.store.call_rows import COLUMNS, call_of
from callserver.store.call_values import Call
from callserver.store.sessions import VisitorSession, session_of

_VISIT = tuple(f.name for f in fields(VisitorSession))
_SELECT_VISIT = ", ".join(f"visit.{name} AS visit_{name}" for name in _VISIT)


@dataclass(frozen=True)
class CallVisit:
    """A call and the session it was attributed to (None: no web visit behind it)."""

    call: Call
    visit: VisitorSession | None


def joined(calls_sql: str) -> str:
    """A statement reading the calls `calls_sql` selects (`SELECT {COLUMNS} FROM calls ...`,
    with its own parameters), newest first, each with its session's columns."""
    return (f"SELECT c.*, {_SELECT_VISIT} FROM ({calls_sql}) AS c "
            "LEFT JOIN visitor_sessions visit ON visit.session_id = c.session_id "
            "ORDER BY c.started_at DESC, c.id DESC")


def call_visit(row: sqlite3.Row) -> CallVisit:
    """The call and session a row of `joined` holds."""
    if row["visit_session_id"] is None:
        return CallVisit(call_of(row), None)
    return CallVisit(call_of(row), session_of({name: row[f"visit_{name}"] for name in _VISIT}))


def get(conn: sqlite3.Connection, call_id: str) -> CallVisit | None:
    row = conn.execute(joined(f"SELECT {COLUMNS} FROM calls WHERE id = ?"),
                       (call_id,)).fetchone()
    return None if row is None else call_visit(row)
