"""Call records: written before the call is dialled, completed once from how it ended.

A call left 'in-progress' by a crash becomes 'interrupted' (`cut_off`), so a crash leaves a
record marked as such rather than a hole; if the call's end is learnt later (AMI
reconciliation), `complete` still fills it in, until the wait is given up: the call is then
final as 'interrupted'. Write these with `durable=True`.

This module holds the statements; the record's values are in `call_values`, its columns and
their encoding in `call_rows`, the counts of calls (metrics, caps) in `call_totals`.
"""

import sqlite3
from collections.abc import Mapping
from typing import Any

from callserver.store.call_rows import (
    COLUMNS,
    SELECT,
    call_of,
    end_values,
    notes_values,
    start_values,
)
from callserver.store.call_values import COMPLETABLE, Call, CallEnd, CallStatus, FlowNotes
from callserver.store.columns import optional_instant
from callserver.store.transactions import first_row

# A completion takes effect only on a call still open: in progress, or interrupted and waiting.
_OPEN = f"status IN ({', '.join('?' for _ in COMPLETABLE)}) AND settled_at IS NULL"


def start(conn: sqlite3.Connection, call: Call) -> None:
    """Insert the call record (with its end too, if it is already known)."""
    values = start_values(call) | end_values(call.end)
    conn.execute(
        f"INSERT INTO calls ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
        tuple(values.values()),
    )


def complete(conn: sqlite3.Connection, call_id: str, end: CallEnd) -> bool:
    """Record how the call ended; True only for the completion that took effect.

    Idempotent: the same AMI event seen twice, or by two nodes, completes the call once.
    """
    if end.status is CallStatus.IN_PROGRESS:
        raise ValueError("a call cannot complete as in-progress")
    values = end_values(end)
    cursor = conn.execute(
        f"UPDATE calls SET {', '.join(f'{name} = ?' for name in values)} "
        f"WHERE id = ? AND {_OPEN}",
        (*values.values(), call_id, *COMPLETABLE),
    )
    return cursor.rowcount == 1


def finish(conn: sqlite3.Connection, call_id: str, end: CallEnd,
           learnt: FlowNotes | None = None) -> Call | None:
    """`complete` and `annotate` in one statement; the call as completed, or None when this
    completion did not take effect (what the flow learnt is then saved alone)."""
    if end.status is CallStatus.IN_PROGRESS:
        raise ValueError("a call cannot complete as in-progress")
    values = end_values(end) | ({} if learnt is None else notes_values(learnt))
    row = first_row(
        conn,
        f"UPDATE calls SET {', '.join(f'{name} = ?' for name in values)} "
        f"WHERE id = ? AND {_OPEN} RETURNING {COLUMNS}",
        (*values.values(), call_id, *COMPLETABLE),
    )
    if row is None and learnt is not None:
        annotate(conn, call_id, learnt.ivr_path, learnt.tags, learnt.trace)
    return None if row is None else call_of(row)


def set_hangup(conn: sqlite3.Connection, call_id: str, end: CallEnd) -> bool:
    """Add what AMI measured to a call whose status is already decided; False if no such call.

    The AGI flow's word stands: the hang-up cause (AMI's alone) is set, ring seconds fill a
    blank, and answer time, talk seconds and answered target fill blanks only on an answered
    call, so a call the flow saw unanswered never gains a target that caps would count.
    """
    if_answered = {
        "answered_at": optional_instant(end.answered_at),
        "talk_seconds": end.talk_seconds,
        "answered_target": end.answered_target,
    }
    filled = "".join(
        f", {name} = CASE WHEN status = ? THEN coalesce({name}, ?) ELSE {name} END"
        for name in if_answered
    )
    cursor = conn.execute(
        "UPDATE calls SET hangup_cause = coalesce(?, hangup_cause), "
        f"ring_seconds = coalesce(ring_seconds, ?){filled} WHERE id = ?",
        (
            end.hangup_cause,
            end.ring_seconds,
            *(v for value in if_answered.values() for v in (CallStatus.ANSWERED, value)),
            call_id,
        ),
    )
    return cursor.rowcount == 1


def annotate(
    conn: sqlite3.Connection,
    call_id: str,
    ivr_path: tuple[str, ...],
    tags: Mapping[str, str],
    trace: Any,
) -> bool:
    """Save what the call flow learnt (IVR digits, tags, decision trace); False if no such call."""
    values = notes_values(FlowNotes(ivr_path, tags, trace))
    cursor = conn.execute(
        f"UPDATE calls SET {', '.join(f'{name} = ?' for name in values)} WHERE id = ?",
        (*values.values(), call_id),
    )
    return cursor.rowcount == 1


def get(conn: sqlite3.Connection, call_id: str) -> Call | None:
    row = first_row(conn, f"{SELECT} WHERE id = ?", (call_id,))
    return None if row is None else call_of(row)


def find_by_uniqueid(conn: sqlite3.Connection, uniqueid: str) -> Call | None:
    """The call whose inbound channel has this Asterisk Uniqueid (AMI correlation)."""
    row = first_row(conn, f"{SELECT} WHERE uniqueid = ?", (uniqueid,))
    return None if row is None else call_of(row)


def in_progress(conn: sqlite3.Connection) -> list[Call]:
    """Calls believed live, to reconcile with Asterisk's channels after an AMI reconnect."""
    rows = conn.execute(
        f"{SELECT} WHERE status = ? ORDER BY started_at", (CallStatus.IN_PROGRESS,)
    )
    return [call_of(row) for row in rows]
