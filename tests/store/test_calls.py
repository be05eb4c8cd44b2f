import asyncio
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import pytest

from callserver.store import Store, open_store
from callserver.store.call_totals import count_since
from callserver.store.call_values import Call, CallEnd, CallStatus, FlowNotes
from callserver.store.calls import (
    annotate,
    complete,
    find_by_uniqueid,
    finish,
    get,
    in_progress,
    start,
)
from callserver.store.cut_off import mark_interrupted
from tests.store.conftest import NOW

CALL = Call(
    id="7d1c5e2a-0000-4000-8000-000000000001",
    started_at=NOW,
    number="+18005550101",
    caller="+13125550199",
    uniqueid="1767000000.42",
    linkedid="1767000000.42",
    campaign="spring",
    source="google-ads",
    publisher="acme",
    tags={"channel": "search"},
    sub_id="a1",
    session_id="sess-1",
)
ANSWERED = CallEnd(
    status=CallStatus.ANSWERED,
    ended_at=NOW + timedelta(minutes=3),
    answered_at=NOW + timedelta(seconds=12),
    ring_seconds=12.0,
    talk_seconds=168.0,
    answered_target="sales",
    hangup_cause="16",
    recording="/var/spool/asterisk/monitor/7d1c.wav",
    converted=True,
)


def _call(n: int, **changes: Any) -> Call:
    return replace(CALL, id=f"call-{n}", uniqueid=f"1767000000.{n}", **changes)


async def test_a_started_call_is_in_progress_until_completed(store: Store) -> None:
    await store.write(start, CALL, durable=True)
    assert await store.read(get, CALL.id) == CALL
    assert await store.read(find_by_uniqueid, "1767000000.42") == CALL
    assert (await store.read(in_progress)) == [CALL]

    assert await store.write(complete, CALL.id, ANSWERED, durable=True)
    done = await store.read(get, CALL.id)
    assert done == replace(CALL, end=ANSWERED)
    assert done is not None and done.status is CallStatus.ANSWERED
    assert await store.read(in_progress) == []


async def test_completion_happens_once(store: Store) -> None:
    await store.write(start, CALL)
    busy = CallEnd(status=CallStatus.BUSY, ended_at=NOW + timedelta(minutes=9))

    first = await store.write(complete, CALL.id, ANSWERED)
    again = await store.write(complete, CALL.id, busy)

    assert (first, again) == (True, False)
    assert await store.read(get, CALL.id) == replace(CALL, end=ANSWERED)
    assert not await store.write(complete, "no-such-call", ANSWERED)


async def test_two_nodes_seeing_the_same_hangup_complete_the_call_once(
    store: Store, db_path: Path
) -> None:
    calls = [_call(n) for n in range(20)]
    for call in calls:
        await store.write(start, call)
    other = await open_store(db_path)
    try:
        results = await asyncio.gather(
            *(node.write(complete, call.id, ANSWERED) for call in calls for node in (store, other))
        )
    finally:
        await other.close()
    assert results.count(True) == len(calls)


async def test_a_call_cannot_complete_as_in_progress(store: Store) -> None:
    await store.write(start, CALL)
    with pytest.raises(ValueError, match="in-progress"):
        await store.write(complete, CALL.id, CallEnd(status=CallStatus.IN_PROGRESS, ended_at=NOW))


async def test_calls_cut_off_by_a_crash_are_marked_interrupted(db_path: Path) -> None:
    store = await open_store(db_path)
    await store.write(start, _call(1), durable=True)
    await store.write(start, _call(2), durable=True)
    await store.write(complete, "call-2", ANSWERED, durable=True)
    await store.close()  # the server dies with call-1 in progress

    restarted = await open_store(db_path)
    later = NOW + timedelta(minutes=10)
    assert await restarted.write(mark_interrupted, later, durable=True) == ["call-1"]
    interrupted = await restarted.read(get, "call-1")
    assert interrupted == replace(
        _call(1), end=CallEnd(status=CallStatus.INTERRUPTED, ended_at=later)
    )
    assert (await restarted.read(get, "call-2")) == replace(_call(2), end=ANSWERED)

    # AMI reconciliation may still learn how the call really ended
    assert await restarted.write(complete, "call-1", ANSWERED)
    assert await restarted.write(mark_interrupted, later) == []
    await restarted.close()


async def test_the_flow_annotates_ivr_path_tags_and_trace(store: Store) -> None:
    await store.write(start, CALL)
    trace = {"hours": {"open": True, "reason": "mon 09:00-17:00"}, "plan": [["sales"]]}
    tags = {"channel": "search", "dept": "sales"}

    assert await store.write(annotate, CALL.id, ("1", "2"), tags, trace)
    assert await store.read(get, CALL.id) == replace(
        CALL, ivr_path=("1", "2"), tags=tags, trace=trace
    )
    assert not await store.write(annotate, "no-such-call", (), {}, None)


async def test_finish_completes_and_annotates_in_one_statement_once(store: Store) -> None:
    await store.write(start, CALL)
    learnt = FlowNotes(("1",), {"channel": "search", "dept": "sales"}, {"outcome": "answered"})
    later = FlowNotes(("1", "2"), {"dept": "support"}, {"outcome": "busy"})
    busy = CallEnd(status=CallStatus.BUSY, ended_at=NOW + timedelta(minutes=9))

    done = await store.write(finish, CALL.id, ANSWERED, learnt)
    again = await store.write(finish, CALL.id, busy, later)  # too late to end it: notes only

    assert done == replace(CALL, ivr_path=("1",), tags=learnt.tags, trace=learnt.trace,
                           end=ANSWERED)
    assert again is None
    assert await store.read(get, CALL.id) == replace(
        done, ivr_path=later.ivr_path, tags=later.tags, trace=later.trace)
    assert await store.write(finish, "no-such-call", ANSWERED) is None


async def test_cap_counts_per_number_campaign_and_target(store: Store) -> None:
    hour = timedelta(hours=1)
    rows = [
        (_call(1, started_at=NOW - 2 * hour), ANSWERED),  # before the period
        (_call(2), ANSWERED),
        (_call(3, campaign="autumn"), CallEnd(CallStatus.NO_ANSWER, NOW)),
        (_call(4, number="+18005550102"), replace(ANSWERED, answered_target="tvdesk")),
        (_call(5), CallEnd(CallStatus.CAPPED, NOW)),  # turned away: not counted
        (_call(6), CallEnd(CallStatus.CLOSED, NOW)),
        (_call(7), None),  # still ringing: counted
    ]
    for call, end in rows:
        await store.write(start, call)
        if end is not None:
            await store.write(complete, call.id, end)

    since = NOW - hour
    scopes: list[tuple[Literal["number", "campaign", "target"], str]] = [
        ("number", "+18005550101"),
        ("number", "+18005550102"),
        ("campaign", "spring"),
        ("campaign", "autumn"),
        ("target", "sales"),
        ("target", "tvdesk"),
    ]
    counts = [await store.read(count_since, scope, key, since) for scope, key in scopes]
    assert counts == [3, 1, 3, 1, 1, 1]


async def test_times_are_stored_as_utc_text(store: Store, db_path: Path) -> None:
    await store.write(start, CALL)
    await store.write(complete, CALL.id, ANSWERED)
    with closing(sqlite3.connect(db_path)) as conn:
        row = conn.execute("SELECT started_at, answered_at, ended_at FROM calls").fetchone()
    assert row == (
        "2026-03-02T15:04:05.000000Z",
        "2026-03-02T15:04:17.000000Z",
        "2026-03-02T15:07:05.000000Z",
    )
