"""Several nodes on one PostgreSQL database: the races SQLite's single writer settles by
locking are settled here by REPEATABLE READ and a retried batch, and state outlives a restart.
Twins of the tests of tests/store that open a second store on the same SQLite file."""

import asyncio
import sqlite3
from dataclasses import replace
from datetime import timedelta

from callserver.store.call_values import CallEnd, CallStatus
from callserver.store.calls import complete, get, start
from callserver.store.cut_off import mark_interrupted
from callserver.store.leases import acquire
from callserver.store.outbox import claim_due, enqueue
from callserver.store.pg import PgStore, open_pg_store
from tests.store.conftest import NOW
from tests.store.test_calls import ANSWERED, _call
from tests.store.test_leases import POOL, TTL
from tests.store.test_outbox import HOLD, _delivery


def _add_pool(conn: sqlite3.Connection, numbers: list[str]) -> None:
    conn.executemany("INSERT INTO pool_numbers (number, pool) VALUES (?, 'website')",
                     [(number,) for number in numbers])


async def _number(store: PgStore, session_id: str, at_minute: float = 0) -> str | None:
    lease = await store.write(acquire, "website", session_id,
                              NOW + timedelta(minutes=at_minute), TTL)
    return None if lease is None else lease.number


async def test_two_nodes_never_share_a_number(store: PgStore, pg_url: str) -> None:
    numbers = [f"+1312555{n:04d}" for n in range(40)]
    await store.write(_add_pool, numbers)
    other = await open_pg_store(pg_url)
    try:
        leased = await asyncio.gather(*(
            _number(node, f"{name} {i}")
            for i in range(30) for name, node in [("a", store), ("b", other)]))
    finally:
        await other.close()
    assert sorted(n for n in leased if n is not None) == numbers


async def test_two_nodes_seeing_the_same_hangup_complete_the_call_once(
    store: PgStore, pg_url: str
) -> None:
    calls = [_call(n) for n in range(20)]
    for call in calls:
        await store.write(start, call)
    other = await open_pg_store(pg_url)
    try:
        results = await asyncio.gather(*(
            node.write(complete, call.id, ANSWERED) for call in calls for node in (store, other)))
    finally:
        await other.close()
    assert results.count(True) == len(calls)


async def test_workers_on_two_nodes_claim_each_delivery_once(
    store: PgStore, pg_url: str
) -> None:
    for n in range(100):
        await store.write(enqueue, _delivery(n))
    other = await open_pg_store(pg_url)
    try:
        batches = await asyncio.gather(*(
            node.write(claim_due, NOW, HOLD, 7) for _ in range(15) for node in (store, other)))
    finally:
        await other.close()
    ids = [d.id for batch in batches for d in batch]
    assert sorted(ids) == sorted(f"msg-{n}" for n in range(100))


async def test_leases_outlive_a_restart_and_still_expire(pg_url: str) -> None:
    store = await open_pg_store(pg_url)
    await store.write(_add_pool, POOL[:1])
    await _number(store, "s1")
    await store.close()

    restarted = await open_pg_store(pg_url)
    assert await _number(restarted, "s2", 10) is None
    assert await _number(restarted, "s2", 30) == POOL[0]
    await restarted.close()


async def test_calls_cut_off_by_a_crash_are_marked_interrupted(pg_url: str) -> None:
    store = await open_pg_store(pg_url)
    await store.write(start, _call(1), durable=True)
    await store.write(start, _call(2), durable=True)
    await store.write(complete, "call-2", ANSWERED, durable=True)
    await store.close()

    restarted = await open_pg_store(pg_url)
    later = NOW + timedelta(minutes=10)
    assert await restarted.write(mark_interrupted, later, durable=True) == ["call-1"]
    assert await restarted.read(get, "call-1") == replace(
        _call(1), end=CallEnd(status=CallStatus.INTERRUPTED, ended_at=later))
    assert await restarted.read(get, "call-2") == replace(_call(2), end=ANSWERED)
    await restarted.close()


async def test_nodes_starting_together_migrate_a_new_database_once(pg_url: str) -> None:
    stores = await asyncio.gather(*(open_pg_store(pg_url) for _ in range(4)))
    try:
        versions = await stores[0].read(
            lambda conn: [v for (v,) in conn.execute("SELECT version FROM schema_version")])
    finally:
        await asyncio.gather(*(s.close() for s in stores))
    assert sorted(versions) == list(range(1, len(versions) + 1))
