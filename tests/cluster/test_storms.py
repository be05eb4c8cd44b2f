"""Lease takes and outbox claims from four PostgreSQL stores at once (four nodes' worth of
group-committed batches racing): REPEATABLE READ with whole-batch retry settles every race,
and so does READ COMMITTED (the swap's writes), where the take's SKIP LOCKED and the renewal's
re-checked session settle it without a retry. Nothing is leased or claimed twice, and no write
runs out of retries."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from callserver.store import leases, outbox, pool_table
from callserver.store.pg import PgStore, open_pg_store
from tests.store.conftest import NOW
from tests.store.test_outbox import HOLD, _delivery

NODES = 4
NUMBERS = [f"+1312555{n:04d}" for n in range(40)]
TTL = timedelta(minutes=30)


@pytest.fixture
async def stores(pg_url: str) -> AsyncIterator[list[PgStore]]:
    opened = [await open_pg_store(pg_url) for _ in range(NODES)]
    yield opened
    for store in opened:
        await store.close()


@pytest.mark.parametrize("read_committed", [False, True])
async def test_a_storm_of_lease_takes_leases_each_number_once(
        stores: list[PgStore], read_committed: bool) -> None:
    await stores[0].write(pool_table.sync_pool_numbers, "website", NUMBERS)
    taken = await asyncio.gather(*(
        store.write(leases.acquire, "website", f"visitor {n} on {k}", NOW, TTL,
                    read_committed=read_committed)
        for n in range(150) for k, store in enumerate(stores)))
    numbers = Counter(lease.number for lease in taken if lease is not None)
    assert numbers == dict.fromkeys(NUMBERS, 1)
    assert await stores[1].read(pool_table.usage, NOW) == {
        "website": pool_table.PoolUsage(size=len(NUMBERS), active=len(NUMBERS))}


async def test_renewals_racing_new_takes_of_their_lapsed_numbers_never_share_one(
        stores: list[PgStore]) -> None:
    """Every lease has lapsed; its session renews it while newcomers on other nodes take
    free numbers, the lapsed ones first. In READ COMMITTED a renewal that finds its number
    taken meanwhile must not extend the newcomer's lease as its own."""
    await stores[0].write(pool_table.sync_pool_numbers, "website", NUMBERS)
    for n in range(len(NUMBERS)):
        await stores[0].write(leases.acquire, "website", f"old {n}", NOW, TTL)
    later = NOW + TTL + timedelta(minutes=1)
    asked = [(f"old {n}", stores[n % NODES]) for n in range(len(NUMBERS))] + [
        (f"new {n}", stores[n % NODES]) for n in range(3 * len(NUMBERS))]
    taken = await asyncio.gather(*(
        store.write(leases.acquire, "website", session, later, TTL, read_committed=True)
        for session, store in asked))
    got = [(session, lease) for (session, _), lease in zip(asked, taken, strict=True)
           if lease is not None]
    assert all(lease.session_id == session for session, lease in got)
    assert Counter(lease.number for _, lease in got) == dict.fromkeys(NUMBERS, 1)


async def test_a_storm_of_outbox_claims_claims_each_delivery_once(
        stores: list[PgStore]) -> None:
    for n in range(400):
        await stores[0].write(outbox.enqueue, _delivery(n))
    batches = await asyncio.gather(*(
        store.write(outbox.claim_due, NOW, HOLD, 5) for _ in range(40) for store in stores))
    claimed = Counter(delivery.id for batch in batches for delivery in batch)
    assert claimed == {f"msg-{n}": 1 for n in range(400)}
