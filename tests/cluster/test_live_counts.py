"""Calls in progress counted from the store, at store level on SQLite and PostgreSQL: what
concurrency caps count (every node's calls in progress, not the ended ones), a target's cap
held in one write, two PostgreSQL stores racing for the last place never both getting it, and
a dead node's calls and webhook claims taken over by a live node's sweep."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import timedelta

from callserver.asterisk.call_counts import Scope, read_counts
from callserver.hours.caps import Caps
from callserver.store import calls, live_counts, nodes, outbox
from callserver.store.call_values import CallEnd, CallStatus
from callserver.store.delivery_values import DeliveryStatus
from callserver.store.open import AnyStore
from callserver.store.pg import PgStore, open_pg_store
from tests.store.conftest import NOW
from tests.store.test_calls import ANSWERED, _call
from tests.store.test_outbox import HOLD, _delivery

NUMBER = "+18005550101"
SILENT = timedelta(seconds=30)
CAP = 3


async def _calls(store: AnyStore, *ns: int, node: str | None = None) -> None:
    for n in ns:
        await store.write(calls.start, replace(_call(n), node=node), durable=True)


async def test_calls_in_progress_are_counted_per_number_campaign_and_held_target(
        either: AnyStore) -> None:
    await _calls(either, 1, 2, 3, 4)
    await either.write(calls.start, replace(_call(5), number="+18005550102", campaign="tv"))
    await either.write(calls.complete, "call-4", ANSWERED)
    await either.write(live_counts.hold, "call-1", {"desk": 9}, NOW, {})
    await either.write(live_counts.hold, "call-4", {"desk": 9}, NOW, {})  # ended: not counted

    assert await either.read(live_counts.count, "number", NUMBER, 10) == 3
    assert await either.read(live_counts.count, "number", NUMBER, 2) == 2  # stops at the limit
    assert await either.read(live_counts.count, "campaign", "spring", 10) == 3
    assert await either.read(live_counts.count, "target", "desk", 10) == 1
    assert await either.read(live_counts.count, "target", "sales", 10) == 0


async def test_the_write_opening_a_call_reads_its_concurrency_counts(either: AnyStore) -> None:
    await _calls(either, 1, 2)
    await either.write(live_counts.hold, "call-1", {"desk": 9}, NOW, {})
    scopes = [Scope("number", NUMBER, "UTC", Caps(concurrency=CAP, day=10)),
              Scope("target", "desk", "UTC", Caps(concurrency=CAP))]
    assert await either.write(read_counts, scopes, NOW) == {
        f"number:{NUMBER}": {"day": 2, "concurrency": 2}, "target:desk": {"concurrency": 1}}


async def test_a_target_is_held_up_to_its_cap_and_free_again_once_released(
        either: AnyStore) -> None:
    await _calls(either, *range(1, CAP + 2))
    checks = [await either.write(live_counts.hold, f"call-{n}", {"desk": CAP}, NOW, {})
              for n in range(1, CAP + 2)]
    assert [check.blocked for (check,) in checks] == [False] * CAP + [True]
    assert [check.count for (check,) in checks] == [*range(CAP), CAP]

    await either.write(live_counts.release, ["call-1"])
    (check,) = await either.write(live_counts.hold, f"call-{CAP + 1}", {"desk": CAP}, NOW, {})
    assert not check.blocked and await either.read(live_counts.count, "target", "desk", 9) == CAP


async def test_calls_the_pbx_sees_elsewhere_count_when_they_are_more(either: AnyStore) -> None:
    await _calls(either, 1)
    (check,) = await either.write(live_counts.hold, "call-1", {"desk": CAP}, NOW, {"desk": CAP})
    assert check.blocked and await either.read(live_counts.count, "target", "desk", 9) == 0


def _open_under_cap(conn: sqlite3.Connection, n: int) -> bool:
    """What `call_events.start_call` does for a number capped on calls at once."""
    scope = Scope("number", NUMBER, "UTC", Caps(concurrency=CAP))
    taken = read_counts(conn, [scope], NOW)[scope.name]["concurrency"]
    end = None if taken < CAP else CallEnd(CallStatus.CAPPED, NOW)
    calls.start(conn, replace(_call(n), end=end))
    return end is None


async def test_two_postgresql_stores_racing_never_exceed_a_concurrency_cap(
        store: PgStore, pg_url: str) -> None:
    other = await open_pg_store(pg_url)
    try:
        admitted = await asyncio.gather(*(
            node.write(_open_under_cap, 2 * i + k, durable=True)
            for i in range(30) for k, node in enumerate([store, other])))
        live = await store.read(live_counts.count, "number", NUMBER, 99)
        await _calls(store, *range(100, 140))
        held = await asyncio.gather(*(
            node.write(live_counts.hold, f"call-{100 + 2 * i + k}", {"desk": CAP}, NOW, {})
            for i in range(20) for k, node in enumerate([store, other])))
    finally:
        await other.close()
    assert sum(admitted) == live == CAP
    assert sum(not check.blocked for (check,) in held) == CAP
    assert await store.read(live_counts.count, "target", "desk", 99) == CAP


async def test_a_dead_node_s_claimed_deliveries_are_due_at_once(either: AnyStore) -> None:
    for n in range(4):
        await either.write(outbox.enqueue, _delivery(n))
    await either.write(nodes.beat, "a", NOW)
    await either.write(nodes.beat, "b", NOW)
    await either.write(outbox.claim_due, NOW, HOLD, 2, "a")
    await either.write(outbox.claim_due, NOW, HOLD, 1, "b")
    later = NOW + SILENT + timedelta(seconds=1)
    await either.write(nodes.beat, "b", later)

    swept = await either.write(nodes.sweep, "b", later, SILENT)

    assert swept == nodes.Swept(deliveries=("msg-0", "msg-1"))
    again = await either.write(outbox.claim_due, later, HOLD, 10, "b")
    assert [(d.id, d.claimed_by) for d in again] == [("msg-0", "b"), ("msg-1", "b"),
                                                      ("msg-3", "b")]
    held = await either.read(outbox.get, "msg-2")
    assert held is not None and held.status is DeliveryStatus.CLAIMED
    assert await either.write(nodes.sweep, "b", later, SILENT) == nodes.Swept()


async def test_a_start_releases_its_own_claims_but_not_a_live_node_s(either: AnyStore) -> None:
    for n in range(2):
        await either.write(outbox.enqueue, _delivery(n))
    await either.write(nodes.beat, "b", NOW)
    await either.write(outbox.claim_due, NOW, HOLD, 1, "a")
    await either.write(outbox.claim_due, NOW, HOLD, 1, "b")

    swept = await either.write(nodes.sweep, "a", NOW + SILENT / 2, SILENT, True)

    assert swept.deliveries == ("msg-0",)
    held = await either.read(outbox.get, "msg-1")
    assert held is not None and held.status is DeliveryStatus.CLAIMED


async def test_a_dead_node_s_calls_stop_holding_their_targets(either: AnyStore) -> None:
    await either.write(nodes.beat, "a", NOW)
    await _calls(either, 1, node="a")
    await either.write(live_counts.hold, "call-1", {"desk": CAP}, NOW, {})
    later = NOW + SILENT + timedelta(seconds=1)

    assert (await either.write(nodes.sweep, "b", later, SILENT)).calls == ("call-1",)
    assert await either.read(live_counts.count, "target", "desk", 9) == 0
    assert await either.read(lambda conn: conn.execute(
        "SELECT count(*) FROM call_targets").fetchone()[0]) == 0
