import asyncio
from dataclasses import replace
from datetime import timedelta

from callserver.store import Store
from callserver.store.delivery_values import Delivery, DeliveryStatus
from callserver.store.outbox import (
    claim_due,
    enqueue,
    mark_delivered,
    park,
    parked,
    retry_at,
)
from tests.store.conftest import NOW

HOLD = timedelta(minutes=1)


def _delivery(n: int, due_in: timedelta = timedelta(0)) -> Delivery:
    return Delivery(
        id=f"msg-{n}",
        event="call.completed",
        url="https://crm.example/hook",
        body=f'{{"n": {n}}}',
        created_at=NOW + timedelta(microseconds=n),
        next_attempt_at=NOW + due_in,
        headers={"content-type": "application/json"},
    )


async def test_due_deliveries_are_claimed_oldest_first(store: Store) -> None:
    for n in (2, 1, 3):
        await store.write(
            enqueue, _delivery(n, due_in=timedelta(minutes=5) if n == 3 else 0 * HOLD)
        )

    claimed = await store.write(claim_due, NOW, HOLD, 10)

    assert claimed == [
        replace(_delivery(n), status=DeliveryStatus.CLAIMED, attempts=1, next_attempt_at=NOW + HOLD)
        for n in (1, 2)
    ]
    assert await store.write(claim_due, NOW, HOLD, 10) == []


async def test_many_workers_claim_each_delivery_once(store: Store) -> None:
    for n in range(100):
        await store.write(enqueue, _delivery(n))

    batches = await asyncio.gather(*(store.write(claim_due, NOW, HOLD, 7) for _ in range(30)))

    ids = [d.id for batch in batches for d in batch]
    assert sorted(ids) == sorted(f"msg-{n}" for n in range(100))


async def test_a_claim_whose_worker_died_is_due_again_when_it_ends(store: Store) -> None:
    await store.write(enqueue, _delivery(1))
    await store.write(claim_due, NOW, HOLD, 10)

    assert await store.write(claim_due, NOW + HOLD / 2, HOLD, 10) == []
    (again,) = await store.write(claim_due, NOW + HOLD, HOLD, 10)
    assert again.attempts == 2


async def test_a_delivered_delivery_is_never_claimed_again(store: Store) -> None:
    await store.write(enqueue, _delivery(1))
    await store.write(claim_due, NOW, HOLD, 10)

    assert await store.write(mark_delivered, "msg-1", NOW)
    assert not await store.write(mark_delivered, "msg-1", NOW)  # settled already
    assert await store.write(claim_due, NOW + timedelta(days=9), HOLD, 10) == []


async def test_a_failed_attempt_is_retried_at_its_time_then_parked(store: Store) -> None:
    await store.write(enqueue, _delivery(1))
    assert not await store.write(retry_at, "msg-1", NOW, "not claimed yet")
    await store.write(claim_due, NOW, HOLD, 10)

    retry = NOW + timedelta(minutes=5)
    assert await store.write(retry_at, "msg-1", retry, "HTTP 503")
    assert await store.write(claim_due, retry - timedelta(seconds=1), HOLD, 10) == []
    (second,) = await store.write(claim_due, retry, HOLD, 10)
    assert (second.attempts, second.last_error) == (2, "HTTP 503")

    gave_up = retry + timedelta(seconds=10)
    assert await store.write(park, "msg-1", gave_up, "timeout after 10 s")
    assert await store.write(claim_due, NOW + timedelta(days=9), HOLD, 10) == []
    assert await store.read(parked) == [
        replace(
            _delivery(1),
            status=DeliveryStatus.PARKED,
            attempts=2,
            last_error="timeout after 10 s",
            next_attempt_at=retry + HOLD,
            settled_at=gave_up,
        )
    ]
