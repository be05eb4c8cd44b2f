"""The delivery worker: claims due deliveries, sends them, and settles each in the outbox.

Everything it knows is in the outbox table, so a restart loses nothing: a delivery waiting for
its retry is claimed by the next worker when due, and one claimed by a worker that died is due
again once a live node finds that worker's node dead, or else when the claim ends (at least
once; receivers deduplicate on `webhook-id`). The store's claim hands each delivery to one
worker, however many run, and names the worker's node. Time comes from the injected clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import sqlite3
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import datetime, timedelta

import aiohttp
from aiohttp import web

from callserver.cluster.heartbeat import NODE
from callserver.store import outbox
from callserver.store.delivery_values import Delivery
from callserver.store.open import AnyStore
from callserver.web.keys import CLOCK, STORE
from callserver.webhooks.schedule import retry_delay
from callserver.webhooks.send import MAX_REDIRECTS, Attempt, attempt

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]

TIMEOUT = aiohttp.ClientTimeout(total=10)
# A claim outlives the slowest attempt: every redirect hop may take the whole timeout.
HOLD = timedelta(seconds=(MAX_REDIRECTS + 1) * 10 + 30)
BATCH = 32
POLL_S = 1.0


class OutboxWorker:
    def __init__(self, store: AnyStore, http: aiohttp.ClientSession, clock: Clock, *,
                 env: Mapping[str, str] = os.environ,
                 jitter: Callable[[], float] = random.random, batch: int = BATCH,
                 node: str | None = None) -> None:
        self._store, self._http, self._clock = store, http, clock
        self._env, self._jitter, self._batch, self._node = env, jitter, batch, node

    async def run_once(self) -> int:
        """Send every delivery due now (up to a batch, concurrently); returns how many."""
        claimed = await self._store.write(outbox.claim_due, self._clock(), HOLD, self._batch,
                                          self._node)
        async with asyncio.TaskGroup() as group:
            for delivery in claimed:
                group.create_task(self._deliver(delivery))
        return len(claimed)

    async def run(self) -> None:
        """Deliver until cancelled, polling the outbox while it is idle."""
        while True:
            if not await self.run_once():
                await asyncio.sleep(POLL_S)

    async def _deliver(self, delivery: Delivery) -> None:
        result = await attempt(self._http, delivery, self._clock(), self._env)
        if not await self._store.write(settle, delivery, result, self._clock(), self._jitter()):
            log.info("delivery %s was settled by another worker after its claim ended",
                     delivery.id)


def settle(conn: sqlite3.Connection, delivery: Delivery, result: Attempt, now: datetime,
           jitter: float) -> bool:
    """Record an attempt: delivered, retried later on the schedule, or parked; False if the
    claim had already ended (another worker took the delivery over)."""
    if result.delivered:
        return outbox.mark_delivered(conn, delivery.id, now)
    error = result.error or "failed"
    delay = None if result.final else retry_delay(delivery.attempts, jitter)
    if delay is None:
        if not result.final:
            error += f" (gave up after {delivery.attempts} attempts)"
        log.error("delivery %s of %s parked: %s", delivery.id, delivery.event, error)
        return outbox.park(conn, delivery.id, now, error)
    log.warning("delivery %s attempt %d failed (%s); next in %.0f s", delivery.id,
                delivery.attempts, error, delay.total_seconds())
    return outbox.retry_at(conn, delivery.id, now + delay, error)


async def outbox_worker(app: web.Application) -> AsyncIterator[None]:
    """Cleanup context: the worker runs while the app does (after the store's context, and
    the heartbeat's, whose node its claims name)."""
    async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
        worker = OutboxWorker(app[STORE], http, app[CLOCK], node=app.get(NODE))
        task = asyncio.create_task(worker.run(), name="webhook-outbox")
        task.add_done_callback(_report_stop)
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _report_stop(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("webhook outbox worker stopped; deliveries wait until restart",
                  exc_info=task.exception())
