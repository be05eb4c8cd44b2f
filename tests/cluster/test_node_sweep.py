"""Nodes on one store, at store level on SQLite and PostgreSQL: a start-up closes only its own
calls (and those no node took), a node silent too long has its calls closed by a live one, and
a cap checked and started in one write is never exceeded by two PostgreSQL stores racing."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import timedelta

from callserver.store import calls, cap_guards, nodes
from callserver.store.calls import CallStatus
from callserver.store.open import AnyStore
from callserver.store.pg import PgStore, open_pg_store
from tests.store.conftest import NOW
from tests.store.test_calls import _call

SILENT = timedelta(seconds=30)


async def _start(store: AnyStore, n: int, node: str | None) -> None:
    await store.write(calls.start, replace(_call(n), node=node), durable=True)


async def _status(store: AnyStore, n: int) -> CallStatus | None:
    call = await store.read(calls.get, f"call-{n}")
    return None if call is None else call.status


async def test_a_start_closes_its_own_calls_and_unowned_ones_not_a_live_node(
        either: AnyStore) -> None:
    await either.write(nodes.beat, "a", NOW)
    await either.write(nodes.beat, "b", NOW)
    await _start(either, 1, "a")
    await _start(either, 2, "b")
    await _start(either, 3, None)

    swept = await either.write(nodes.sweep, "a", NOW + SILENT / 2, SILENT, True)

    assert swept.calls == ("call-1", "call-3")
    assert await _status(either, 2) is CallStatus.IN_PROGRESS
    assert await either.read(nodes.listed) == ["a", "b"]


async def test_a_silent_node_s_calls_are_closed_by_a_live_one_once(either: AnyStore) -> None:
    await either.write(nodes.beat, "a", NOW)
    await either.write(nodes.beat, "b", NOW)
    await _start(either, 1, "a")
    await _start(either, 2, "b")
    await _start(either, 3, None)
    later = NOW + SILENT + timedelta(seconds=1)
    await either.write(nodes.beat, "b", later - timedelta(seconds=2))  # b kept beating

    assert (await either.write(nodes.sweep, "b", later, SILENT)).calls == ("call-1",)
    assert await either.write(nodes.sweep, "b", later, SILENT) == nodes.Swept()
    assert await _status(either, 2) is CallStatus.IN_PROGRESS
    assert await _status(either, 3) is CallStatus.IN_PROGRESS  # only a start closes these
    assert await either.read(nodes.listed) == ["b"]


async def test_a_node_that_leaves_is_no_longer_listed(either: AnyStore) -> None:
    await either.write(nodes.beat, "a", NOW)
    await either.write(nodes.leave, "a")
    assert await either.read(nodes.listed) == []


CAP = 5


def _start_under_cap(conn: sqlite3.Connection, n: int) -> bool:
    """What `call_events.start_call` does for a capped number: guard, count, insert."""
    cap_guards.guard(conn, ["number:+18005550101"], NOW)
    taken = calls.count_since(conn, "number", "+18005550101", NOW, CAP)
    status = CallStatus.IN_PROGRESS if taken < CAP else CallStatus.CAPPED
    call = _call(n)
    end = None if status is CallStatus.IN_PROGRESS else calls.CallEnd(status, NOW)
    calls.start(conn, replace(call, number="+18005550101", started_at=NOW, end=end))
    return status is CallStatus.IN_PROGRESS


async def test_two_postgresql_stores_racing_never_exceed_a_cap(store: PgStore,
                                                               pg_url: str) -> None:
    other = await open_pg_store(pg_url)
    try:
        admitted = await asyncio.gather(*(
            node.write(_start_under_cap, 2 * i + k, durable=True)
            for i in range(40) for k, node in enumerate([store, other])))
    finally:
        await other.close()
    assert sum(admitted) == CAP
    assert await store.read(calls.count_since, "number", "+18005550101", NOW) == CAP
