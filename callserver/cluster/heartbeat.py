"""The node's heartbeat: joins the store's node list at start, beats every few seconds, and
closes the calls of nodes that stopped beating (see `callserver.store.nodes`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

from aiohttp import web

from callserver.settings import NodeSettings
from callserver.store import nodes
from callserver.store.open import AnyStore
from callserver.web.keys import CLOCK, STORE

log = logging.getLogger(__name__)
CleanupCtx = Callable[[web.Application], AsyncIterator[None]]


def heartbeat_ctx(settings: NodeSettings) -> CleanupCtx:
    """Join at start (closing this node's calls left by its last run), beat until stopping,
    then leave; needs the store opened by an earlier cleanup context."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        store, clock = app[STORE], app[CLOCK]
        silent_for = timedelta(seconds=settings.dead_after_s)
        closed = await store.write(nodes.sweep, settings.node, clock(), silent_for, True,
                                   durable=True)
        if closed:
            log.warning("marked %d calls left in progress by the last run as interrupted",
                        len(closed))
        log.info("node %s joined (heartbeat every %s s)", settings.node, settings.heartbeat_s)
        beating = asyncio.create_task(_beat(store, clock, settings, silent_for),
                                      name="node-heartbeat")
        yield
        beating.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beating
        try:
            await store.write(nodes.leave, settings.node, durable=True)
        except Exception as error:  # the others will see it silent and close nothing of its
            log.warning("node %s could not leave the node list: %s", settings.node, error)

    return ctx


async def _beat(store: AnyStore, clock: Callable[[], datetime], settings: NodeSettings,
                silent_for: timedelta) -> None:
    while True:
        await asyncio.sleep(settings.heartbeat_s)
        try:
            closed = await store.write(nodes.sweep, settings.node, clock(), silent_for,
                                       durable=True)
        except Exception:  # a store outage must not stop the beat: the next one retries
            log.exception("node heartbeat failed")
            continue
        if closed:
            log.warning("a node stopped beating: marked its %d calls in progress as "
                        "interrupted", len(closed))
