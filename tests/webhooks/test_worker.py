"""The worker against a real receiver: signed, retried on the schedule, parked, restart-safe."""

from __future__ import annotations

import json
from datetime import timedelta

import aiohttp

from callserver.store import open_store, outbox
from callserver.store.delivery_values import Delivery, DeliveryStatus
from callserver.webhooks.schedule import ATTEMPTS, DELAYS
from callserver.webhooks.signing import verify
from callserver.webhooks.worker import HOLD
from tests.webhooks.conftest import HOOK_SECRET, World


async def test_a_delivery_is_signed_and_verifies(world: World,
                                                 http: aiohttp.ClientSession) -> None:
    queued, _ga4 = await world.record(world.call(converted=False), "call.completed")
    assert await world.worker(http).run_once() == 2  # the webhook and the GA4 hit

    (got,) = world.receiver.at("/hook")
    assert got.headers["webhook-id"] == queued.id
    assert verify(HOOK_SECRET, got.headers, got.body, world.clock())
    assert not verify(HOOK_SECRET, got.headers, got.body + b" ", world.clock())
    assert not verify("whsec_b3RoZXI=", got.headers, got.body, world.clock())
    payload = json.loads(got.body)
    assert payload["type"] == "call.completed" and payload["id"] == queued.id
    assert payload["data"]["call"]["caller"] == "+13125550123"
    assert got.headers["content-type"] == "application/json"
    delivered = await world.store.read(outbox.get, queued.id)
    assert delivered is not None and delivered.status is DeliveryStatus.DELIVERED


async def test_failures_are_retried_on_the_schedule_then_delivered(
        world: World, http: aiohttp.ClientSession) -> None:
    world.receiver.statuses = [500, 503]
    (queued,) = await world.record(world.call(), "call.converted")
    worker = world.worker(http)

    assert await worker.run_once() == 1
    waiting = await world.store.read(outbox.get, queued.id)
    assert waiting is not None
    assert waiting.status is DeliveryStatus.PENDING and waiting.attempts == 1
    assert waiting.next_attempt_at == world.clock() + DELAYS[0]
    assert waiting.last_error == "HTTP 500 receiver broke"
    assert await worker.run_once() == 0  # not due yet

    world.clock.advance(DELAYS[0])
    assert await worker.run_once() == 1
    retried = await world.store.read(outbox.get, queued.id)
    assert retried is not None and retried.next_attempt_at == world.clock() + DELAYS[1]
    world.clock.advance(DELAYS[1])
    assert await worker.run_once() == 1

    done = await world.store.read(outbox.get, queued.id)
    assert done is not None
    assert (done.status, done.attempts, done.settled_at) == \
        (DeliveryStatus.DELIVERED, 3, world.clock())
    sent = world.receiver.at("/hook")
    assert len(sent) == 3 and {r.headers["webhook-id"] for r in sent} == {queued.id}
    assert len({r.headers["webhook-timestamp"] for r in sent}) == 3  # signed at each attempt


async def test_a_delivery_is_parked_after_its_last_attempt(
        world: World, http: aiohttp.ClientSession) -> None:
    world.receiver.statuses = [500] * ATTEMPTS
    (queued,) = await world.record(world.call(), "call.converted")
    worker = world.worker(http)
    for delay in (*DELAYS, None):
        assert await worker.run_once() == 1
        if delay is not None:
            world.clock.advance(delay)

    parked = await world.store.read(outbox.get, queued.id)
    assert parked is not None
    assert parked.status is DeliveryStatus.PARKED
    assert parked.last_error == f"HTTP 500 receiver broke (gave up after {ATTEMPTS} attempts)"
    assert len(world.receiver.at("/hook")) == ATTEMPTS
    world.clock.advance(timedelta(days=7))
    assert await worker.run_once() == 0


async def test_a_restart_between_attempts_delivers_once(world: World) -> None:
    world.receiver.statuses = [500]
    (queued,) = await world.record(world.call(), "call.converted")
    async with aiohttp.ClientSession() as http:
        assert await world.worker(http).run_once() == 1
    await world.store.close()

    world.store = await open_store(world.db_path)  # a new process on the same file
    world.clock.advance(DELAYS[0])
    async with aiohttp.ClientSession() as http:
        worker = world.worker(http)
        assert await worker.run_once() == 1
        world.clock.advance(timedelta(days=2))
        assert await worker.run_once() == 0

    assert [r.headers["webhook-id"] for r in world.receiver.at("/hook")] == [queued.id] * 2
    delivered = await world.store.read(outbox.get, queued.id)
    assert delivered is not None and delivered.status is DeliveryStatus.DELIVERED


async def test_a_claim_held_by_a_dead_worker_is_sent_when_it_ends(
        world: World, http: aiohttp.ClientSession) -> None:
    await world.record(world.call(), "call.converted")
    assert await world.store.write(outbox.claim_due, world.clock(), HOLD, 10)  # then it died
    worker = world.worker(http)
    assert await worker.run_once() == 0

    world.clock.advance(HOLD)
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0
    assert len(world.receiver.at("/hook")) == 1


async def test_a_missing_secret_parks_the_delivery_naming_the_variable(
        world: World, http: aiohttp.ClientSession) -> None:
    del world.env["HOOK_SECRET"]
    (queued,) = await world.record(world.call(), "call.converted")
    await world.worker(http).run_once()

    parked = await world.store.read(outbox.get, queued.id)
    assert parked is not None
    assert parked.status is DeliveryStatus.PARKED
    assert "HOOK_SECRET is not set" in (parked.last_error or "")
    assert world.receiver.received == []


async def test_redirects_are_followed_only_on_the_same_host(
        world: World, http: aiohttp.ClientSession) -> None:
    (moved, away) = [
        Delivery(id=f"d-{path}", event="call.completed", url=f"{world.receiver.base}/{path}",
                        body="{}", created_at=world.clock(), next_attempt_at=world.clock())
        for path in ("moved", "away")]
    for delivery in (moved, away):
        await world.store.write(outbox.enqueue, delivery)
    await world.worker(http).run_once()

    followed = await world.store.read(outbox.get, moved.id)
    assert followed is not None and followed.status is DeliveryStatus.DELIVERED
    assert [r.method for r in world.receiver.at("/hook")] == ["POST"]
    refused = await world.store.read(outbox.get, away.id)
    assert refused is not None
    assert refused.status is DeliveryStatus.PENDING
    assert refused.last_error == "HTTP 302: redirect to another host (localhost) not followed"


async def test_a_receiver_that_does_not_answer_in_time_is_retried(world: World) -> None:
    delivery = Delivery(id="d-slow", event="call.completed",
                               url=f"{world.receiver.base}/slow", body="{}",
                               created_at=world.clock(), next_attempt_at=world.clock())
    await world.store.write(outbox.enqueue, delivery)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.2)) as http:
        await world.worker(http).run_once()

    waiting = await world.store.read(outbox.get, delivery.id)
    assert waiting is not None
    assert waiting.status is DeliveryStatus.PENDING
    assert "Timeout" in (waiting.last_error or "")


async def test_only_http_and_https_urls_are_sent(world: World,
                                                 http: aiohttp.ClientSession) -> None:
    delivery = Delivery(id="d-file", event="call.completed", url="file:///etc/passwd",
                               body="{}", created_at=world.clock(),
                               next_attempt_at=world.clock())
    await world.store.write(outbox.enqueue, delivery)
    await world.worker(http).run_once()

    parked = await world.store.read(outbox.get, delivery.id)
    assert parked is not None
    assert parked.status is DeliveryStatus.PARKED
    assert parked.last_error == "URL 'file:///etc/passwd' is not http or https"
