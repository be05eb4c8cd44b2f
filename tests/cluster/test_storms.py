"""Lease takes and outbox claims from four PostgreSQL stores at once (four nodes' worth of
group-committed batches racing): REPEATABLE READ with whole-batch retry settles every race
without SKIP LOCKED. Nothing is leased or claimed twice, and no write runs out of retries."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from callserver.store import leases, outbox
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


async def test_a_storm_of_lease_takes_leases_each_number_once(stores: list[PgStore]) -> None:
    await stores[0].write(leases.sync_pool_numbers, "website", NUMBERS)
    taken = await asyncio.gather(*(
        store.write(leases.acquire, "website", f"visitor {n} on {k}", NOW, TTL)
        for n in range(150) for k, store in enumerate(stores)))
    numbers = Counter(lease.number for lease in taken if lease is not None)
    assert numbers == dict.fromkeys(NUMBERS, 1)
    assert await stores[1].read(leases.usage, NOW) == {
        "website": leases.PoolUsage(size=len(NUMBERS), active=len(NUMBERS))}


async def test_a_storm_of_outbox_claims_claims_each_delivery_once(
        stores: list[PgStore]) -> None:
    for n in range(400):
        await stores[0].write(outbox.enqueue, _delivery(n))
    batches = await asyncio.gather(*(
        store.write(outbox.claim_due, NOW, HOLD, 5) for _ in range(40) for store in stores))
    claimed = Counter(delivery.id for batch in batches for delivery in batch)
    assert claimed == {f"msg-{n}": 1 for n in range(400)}
