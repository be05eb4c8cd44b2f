"""A call record as a row of the `calls` table: its columns, and the translation both ways.

One place knows how each field is stored (instants as text, mappings as JSON, flags as 0/1),
so the repository (`calls`) and the other readers of the table (`cut_off`, `call_visits`,
reports) write and read a call alike.
"""

import sqlite3
from dataclasses import fields
from typing import Any

from callserver.store.call_values import Call, CallEnd, CallStatus, FlowNotes
from callserver.store.columns import (
    from_json,
    instant,
    optional_instant,
    parse_instant,
    parse_optional_instant,
    to_json,
)

_START = tuple(f.name for f in fields(Call) if f.name != "end")
_END = tuple(f.name for f in fields(CallEnd))
COLUMNS = ", ".join(_START + _END)  # every column of a call row, as `call_of` reads them
SELECT = f"SELECT {COLUMNS} FROM calls"


def start_values(call: Call) -> dict[str, Any]:
    """The columns a call has from its start, by name, as stored."""
    values = {name: getattr(call, name) for name in _START}
    values["started_at"] = instant(call.started_at)
    values["tags"] = to_json(dict(call.tags))
    values["ivr_path"] = to_json(list(call.ivr_path))
    values["trace"] = to_json(call.trace)
    values["merged"] = int(call.merged)
    values["test"] = int(call.test)
    return values


def notes_values(learnt: FlowNotes) -> dict[str, Any]:
    """The columns what the call flow learnt fills, by name, as stored."""
    return {"ivr_path": to_json(list(learnt.ivr_path)), "tags": to_json(dict(learnt.tags)),
            "trace": to_json(learnt.trace)}


def end_values(end: CallEnd | None) -> dict[str, Any]:
    """The columns how a call ended fills (only its status while in progress), as stored."""
    if end is None:
        return {"status": CallStatus.IN_PROGRESS}
    values = {name: getattr(end, name) for name in _END}
    values["ended_at"] = instant(end.ended_at)
    values["answered_at"] = optional_instant(end.answered_at)
    values["converted"] = int(end.converted)
    return values


def call_of(row: sqlite3.Row) -> Call:
    """The call a row of `COLUMNS` holds."""
    start_fields: dict[str, Any] = {name: row[name] for name in _START}
    start_fields["started_at"] = parse_instant(row["started_at"])
    start_fields["tags"] = from_json(row["tags"])
    start_fields["ivr_path"] = tuple(from_json(row["ivr_path"]))
    start_fields["trace"] = from_json(row["trace"])
    start_fields["merged"] = bool(row["merged"])
    start_fields["test"] = bool(row["test"])
    status = CallStatus(row["status"])
    if status is CallStatus.IN_PROGRESS:
        return Call(**start_fields)
    end_fields: dict[str, Any] = {name: row[name] for name in _END}
    end_fields["status"] = status
    end_fields["ended_at"] = parse_instant(row["ended_at"])
    end_fields["answered_at"] = parse_optional_instant(row["answered_at"])
    end_fields["converted"] = bool(row["converted"])
    return Call(**start_fields, end=CallEnd(**end_fields))
