"""Call events: an append-only log of what happened during a call (AMI events, flow steps)."""

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from callserver.store.columns import from_json, instant, parse_instant, to_json


@dataclass(frozen=True)
class CallEvent:
    call_id: str
    at: datetime
    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)


def append(conn: sqlite3.Connection, event: CallEvent) -> None:
    """Add an event to its call (which must exist)."""
    conn.execute(
        "INSERT INTO call_events (call_id, at, kind, data) VALUES (?, ?, ?, ?)",
        (event.call_id, instant(event.at), event.kind, to_json(dict(event.data))),
    )


def for_call(conn: sqlite3.Connection, call_id: str) -> list[CallEvent]:
    """The call's events in time order (ties in the order they were appended)."""
    rows = conn.execute(
        "SELECT call_id, at, kind, data FROM call_events WHERE call_id = ? ORDER BY at, id",
        (call_id,),
    )
    return [
        CallEvent(row["call_id"], parse_instant(row["at"]), row["kind"], from_json(row["data"]))
        for row in rows
    ]
