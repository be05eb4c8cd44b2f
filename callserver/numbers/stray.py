"""Stray calls: a call to a number the live config does not route is still recorded, as
`released` with its former campaign when the inventory released it (so the admin sees the
traffic a released number still gets), else as `unknown-number`."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime

from callserver.config.phone import to_e164
from callserver.store import calls, inventory
from callserver.store.call_values import Call, CallEnd, CallStatus


def stray_call(call_id: str, number: str, caller: str, at: datetime, *, test: bool,
               uniqueid: str | None = None, linkedid: str | None = None) -> Call:
    """The row of a call to `number`, which no campaign takes, before `record_stray` looks it
    up in the inventory; `test`: the monitor's call (kept out of reports)."""
    return Call(id=call_id, started_at=at, number=number, caller=caller, uniqueid=uniqueid,
                linkedid=linkedid, test=test,
                end=CallEnd(status=CallStatus.UNKNOWN_NUMBER, ended_at=at))


def record_stray(conn: sqlite3.Connection, call: Call) -> Call:
    """Write the record of a call the dialplan fallback answers (a store write); returns it."""
    try:
        entry = inventory.get(conn, to_e164(call.number))
    except ValueError:
        entry = None
    if entry is not None and entry.released_at is not None:
        end = call.end or CallEnd(status=CallStatus.RELEASED, ended_at=call.started_at)
        call = replace(call, number=entry.number, campaign=entry.campaign,
                       end=replace(end, status=CallStatus.RELEASED))
    calls.start(conn, call)
    return call
