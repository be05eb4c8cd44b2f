"""Call records: written before the call is dialled, completed once from how it ended.

A call left 'in-progress' by a crash becomes 'interrupted' (`cut_off`), so a crash leaves a
record marked as such rather than a hole; if the call's end is learnt later (AMI
reconciliation), `complete` still fills it in, until the wait is given up: the call is then
final as 'interrupted'. Write these with `durable=True`.
"""

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from callserver.store.columns import (
    from_json,
    instant,
    optional_instant,
    parse_instant,
    parse_optional_instant,
    to_json,
)
from callserver.store.transactions import first_row


class CallStatus(StrEnum):
    IN_PROGRESS = "in-progress"
    ANSWERED = "answered"
    NO_ANSWER = "no-answer"
    BUSY = "busy"
    FAILED = "failed"
    ABANDONED = "abandoned"
    CLOSED = "closed"
    CAPPED = "capped"
    UNKNOWN_NUMBER = "unknown-number"
    RELEASED = "released"
    INTERRUPTED = "interrupted"


# Calls turned away before reaching anyone do not use up a cap.
_NOT_COUNTED = (CallStatus.CLOSED, CallStatus.CAPPED, CallStatus.UNKNOWN_NUMBER,
                CallStatus.RELEASED)
COMPLETABLE = (CallStatus.IN_PROGRESS, CallStatus.INTERRUPTED)
# A completion takes effect only on a call still open: in progress, or interrupted and waiting.
_OPEN = f"status IN ({', '.join('?' for _ in COMPLETABLE)}) AND settled_at IS NULL"
_SCOPES = {"number": "number", "campaign": "campaign", "target": "answered_target"}


@dataclass(frozen=True)
class CallEnd:
    """How a call ended; `ring_seconds` and `talk_seconds` as measured by Asterisk."""

    status: CallStatus
    ended_at: datetime
    answered_at: datetime | None = None
    ring_seconds: float | None = None
    talk_seconds: float | None = None
    answered_target: str | None = None
    hangup_cause: str | None = None
    recording: str | None = None
    converted: bool = False


@dataclass(frozen=True)
class FlowNotes:
    """What the call flow learnt, saved on the row when it ends."""

    ivr_path: tuple[str, ...]
    tags: Mapping[str, str]
    trace: Any


@dataclass(frozen=True)
class Call:
    """A call record; `end` is None while the call is in progress."""

    id: str
    started_at: datetime
    number: str
    caller: str
    uniqueid: str | None = None
    linkedid: str | None = None
    campaign: str | None = None
    source: str | None = None
    publisher: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    sub_id: str | None = None
    session_id: str | None = None
    attribution: str | None = None  # why this campaign, source and session, in words
    merged: bool = False  # the session began within the merge window (seed 003)
    ivr_path: tuple[str, ...] = ()
    trace: Any = None
    node: str | None = None  # the callserver node that took the call (see `nodes`)
    test: bool = False  # placed from monitor.caller_id (`probe.test_calls`): no customer's call
    end: CallEnd | None = None

    @property
    def status(self) -> CallStatus:
        return CallStatus.IN_PROGRESS if self.end is None else self.end.status


_START = tuple(f.name for f in fields(Call) if f.name != "end")
_END = tuple(f.name for f in fields(CallEnd))
COLUMNS = ", ".join(_START + _END)  # every column of a call row, as `call_of` reads them
_SELECT = f"SELECT {COLUMNS} FROM calls"


def start(conn: sqlite3.Connection, call: Call) -> None:
    """Insert the call record (with its end too, if it is already known)."""
    values = _start_values(call) | _end_values(call.end)
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
    values = _end_values(end)
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
    values = _end_values(end) | ({} if learnt is None else _notes_values(learnt))
    row = first_row(
        conn,
        f"UPDATE calls SET {', '.join(f'{name} = ?' for name in values)} "
        f"WHERE id = ? AND {_OPEN} RETURNING {', '.join(_START + _END)}",
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
    values = _notes_values(FlowNotes(ivr_path, tags, trace))
    cursor = conn.execute(
        f"UPDATE calls SET {', '.join(f'{name} = ?' for name in values)} WHERE id = ?",
        (*values.values(), call_id),
    )
    return cursor.rowcount == 1


def get(conn: sqlite3.Connection, call_id: str) -> Call | None:
    row = first_row(conn, f"{_SELECT} WHERE id = ?", (call_id,))
    return None if row is None else call_of(row)


def find_by_uniqueid(conn: sqlite3.Connection, uniqueid: str) -> Call | None:
    """The call whose inbound channel has this Asterisk Uniqueid (AMI correlation)."""
    row = first_row(conn, f"{_SELECT} WHERE uniqueid = ?", (uniqueid,))
    return None if row is None else call_of(row)


def in_progress(conn: sqlite3.Connection) -> list[Call]:
    """Calls believed live, to reconcile with Asterisk's channels after an AMI reconnect."""
    rows = conn.execute(
        f"{_SELECT} WHERE status = ? ORDER BY started_at", (CallStatus.IN_PROGRESS,)
    )
    return [call_of(row) for row in rows]


def count_by_status(conn: sqlite3.Connection) -> dict[CallStatus, int]:
    """How many call records are in each status (every status present, zero if none), test
    calls left out: the metrics scrape's view of the store, in one indexed scan."""
    rows = conn.execute("SELECT status, count(*) FROM calls WHERE test = 0 GROUP BY status")
    counts = dict.fromkeys(CallStatus, 0)
    counts.update({CallStatus(status): count for status, count in rows})
    return counts


def count_since(
    conn: sqlite3.Connection,
    scope: Literal["number", "campaign", "target"],
    key: str,
    since: datetime,
    up_to: int | None = None,
) -> int:
    """Calls started since `since` to a number, in a campaign, or answered by a target (caps).

    Calls turned away (closed, capped, unknown number) are not counted, nor test calls: a
    monitor's calls must never cap out real callers. With `up_to`, counting stops there: a
    cap only needs to know whether its limit is reached, and a busy number's day would
    otherwise cost a scan of every call it took.
    """
    bound = "" if up_to is None else " LIMIT ?"
    (count,) = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM calls WHERE {_SCOPES[scope]} = ? "
        "AND started_at >= ? AND test = 0 "
        f"AND status NOT IN ({', '.join('?' for _ in _NOT_COUNTED)}){bound}) AS counted",
        (key, instant(since), *_NOT_COUNTED, *(() if up_to is None else (up_to,))),
    ).fetchone()
    return int(count)


def _start_values(call: Call) -> dict[str, Any]:
    values = {name: getattr(call, name) for name in _START}
    values["started_at"] = instant(call.started_at)
    values["tags"] = to_json(dict(call.tags))
    values["ivr_path"] = to_json(list(call.ivr_path))
    values["trace"] = to_json(call.trace)
    values["merged"] = int(call.merged)
    values["test"] = int(call.test)
    return values


def _notes_values(learnt: FlowNotes) -> dict[str, Any]:
    return {"ivr_path": to_json(list(learnt.ivr_path)), "tags": to_json(dict(learnt.tags)),
            "trace": to_json(learnt.trace)}


def _end_values(end: CallEnd | None) -> dict[str, Any]:
    if end is None:
        return {"status": CallStatus.IN_PROGRESS}
    values = {name: getattr(end, name) for name in _END}
    values["ended_at"] = instant(end.ended_at)
    values["answered_at"] = optional_instant(end.answered_at)
    values["converted"] = int(end.converted)
    return values


def call_of(row: sqlite3.Row) -> Call:
    """The call a row of `COLUMNS` holds."""
    start_values: dict[str, Any] = {name: row[name] for name in _START}
    start_values["started_at"] = parse_instant(row["started_at"])
    start_values["tags"] = from_json(row["tags"])
    start_values["ivr_path"] = tuple(from_json(row["ivr_path"]))
    start_values["trace"] = from_json(row["trace"])
    start_values["merged"] = bool(row["merged"])
    start_values["test"] = bool(row["test"])
    status = CallStatus(row["status"])
    if status is CallStatus.IN_PROGRESS:
        return Call(**start_values)
    end_values: dict[str, Any] = {name: row[name] for name in _END}
    end_values["status"] = status
    end_values["ended_at"] = parse_instant(row["ended_at"])
    end_values["answered_at"] = parse_optional_instant(row["answered_at"])
    end_values["converted"] = bool(row["converted"])
    return Call(**start_values, end=CallEnd(**end_values))
