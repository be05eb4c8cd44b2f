"""Stray calls: a call to a number the live config does not route is still recorded, as
`released` with its former campaign when the inventory released it (so the admin sees the
traffic a released number still gets), else as `unknown-number`."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from callserver.config.phone import to_e164
from callserver.store import calls, inventory
from callserver.store.call_values import Call, CallEnd, CallStatus


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
