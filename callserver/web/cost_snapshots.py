"""Records the live config's source costs as the current month's snapshot
(`callserver.store.cost_snapshots`), so reports keep past months' spend as configured then.

Written once per config digest and local month: at startup, after every reload (a listener
of `LiveConfig`, on the reloading thread, queues the config and the instant for a task), and
before each report reads the snapshots, so a report never reads costs older than the live
config's, and a write that failed is tried again.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from contextlib import suppress
from datetime import datetime

import pytz
from aiohttp import web

from callserver.config.resolve import ResolvedConfig
from callserver.config.schema.sources import Cost
from callserver.store import cost_snapshots
from callserver.store.open import AnyStore
from callserver.web.keys import CLOCK, LIVE, STORE

log = logging.getLogger(__name__)


def configured_costs(config: ResolvedConfig) -> dict[str, Cost]:
    """Every source's cost by name, sources without one left out."""
    return {name: source.cost for name, source in config.model.sources.items() if source.cost}


class CostSnapshots:
    """Writes the snapshot once per (config digest, local month)."""

    def __init__(self) -> None:
        self._done: tuple[str, str] | None = None
        self._lock = asyncio.Lock()

    async def ensure(self, store: AnyStore, config: ResolvedConfig, now: datetime) -> None:
        month = now.astimezone(pytz.timezone(config.model.timezone)).strftime("%Y-%m")
        if self._done == (config.digest, month):
            return
        async with self._lock:
            if self._done != (config.digest, month):
                await store.write(cost_snapshots.record, month, configured_costs(config), now)
                self._done = (config.digest, month)


COST_SNAPSHOTS = web.AppKey("cost_snapshots", CostSnapshots)


async def ensure_now(app: web.Application) -> None:
    """The live config's snapshot for the month of now, recorded if it is not yet."""
    await app[COST_SNAPSHOTS].ensure(app[STORE], app[LIVE].current, app[CLOCK]())


def install_cost_snapshots(app: web.Application) -> None:
    app[COST_SNAPSHOTS] = CostSnapshots()
    admitted: asyncio.Queue[tuple[ResolvedConfig, datetime]] = asyncio.Queue()
    followers: list[asyncio.Task[None]] = []

    async def follow(app: web.Application) -> None:
        while True:
            config, at = await admitted.get()
            try:
                await app[COST_SNAPSHOTS].ensure(app[STORE], config, at)
            except (sqlite3.Error, RuntimeError) as error:
                log.warning("cost snapshot not recorded (the next report tries again): %s",
                            error)

    async def start(app: web.Application) -> None:
        await ensure_now(app)
        loop, live, clock = asyncio.get_running_loop(), app[LIVE], app[CLOCK]
        # The reload's own instant, taken on its thread: it decides the month recorded.
        undo = live.listen(lambda: loop.call_soon_threadsafe(
            admitted.put_nowait, (live.current, clock())))
        task = asyncio.create_task(follow(app), name="cost-snapshots")
        task.add_done_callback(lambda _: undo())
        followers.append(task)

    async def stop(app: web.Application) -> None:
        for task in followers:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    app.on_startup.append(start)
    app.on_shutdown.append(stop)
