"""Every node runs the config the last reload on any node loaded: a cleanup context that
records this node's digest in the shared store after its own reloads and, every few seconds,
reloads its file (the normal validation path) when the cluster's digest differs from its own.

All nodes serve the same file, deployed identically; the store only says *that* it changed.
`CALLSERVER_CONFIG_CHECK_S` sets how often the store is read (default 5 s).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web

from callserver.cluster import config_digest
from callserver.cluster.follow_plan import (
    Action,
    FollowState,
    after_publish,
    after_reload,
    decide,
)
from callserver.live import LiveConfig
from callserver.store.open import AnyStore
from callserver.web.keys import CLOCK, LIVE, STORE

log = logging.getLogger(__name__)
CHECK_ENV = "CALLSERVER_CONFIG_CHECK_S"
RETRY_CHECKS = 12  # a file that did not follow is tried again after this many checks
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class FollowSettings:
    check_s: float = 5.0

    @property
    def retry_after(self) -> timedelta:
        return timedelta(seconds=self.check_s * RETRY_CHECKS)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FollowSettings:
        raw = (os.environ if env is None else env).get(CHECK_ENV)
        if not raw:
            return cls()
        check_s = float(raw)
        if check_s <= 0:
            raise ValueError(f"{CHECK_ENV}={raw}: expected a positive number of seconds")
        return cls(check_s)


async def step(state: FollowState, live: LiveConfig, store: AnyStore, now: datetime,
               settings: FollowSettings) -> FollowState:
    """One check: read the cluster's digest, act on the decision, return the new state."""
    own = live.loaded.digest
    shared = await store.read(config_digest.shared)
    action = decide(state, own, shared, now, settings.retry_after)
    if action is Action.PUBLISH:
        await store.write(config_digest.record, own, now)
        log.info("config %s recorded for the cluster", own[:12])
        return after_publish(state, own)
    if action is Action.RELOAD and shared is not None:
        log.info("cluster runs config %s, this node %s: reloading %s", shared[:12], own[:12],
                 live.path)
        await asyncio.to_thread(live.reload)
        followed = live.loaded.digest
        if followed != shared:
            log.warning("config %s still differs from the cluster's %s: is %s deployed here?",
                        followed[:12], shared[:12], live.path)
        return after_reload(followed, shared, now)
    return state


async def follow(live: LiveConfig, store: AnyStore, settings: FollowSettings,
                 wake: asyncio.Event, clock: Clock) -> None:
    """Check at every `wake` (a reload here) and every `check_s`; a store error waits a turn."""
    state = FollowState(known=live.loaded.digest)
    while True:
        with suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), settings.check_s)
        wake.clear()
        try:
            state = await step(state, live, store, clock(), settings)
        except (sqlite3.Error, RuntimeError) as error:
            log.warning("cluster config check failed: %s", error)


async def config_follow_ctx(app: web.Application) -> AsyncIterator[None]:
    live, loop, wake = app[LIVE], asyncio.get_running_loop(), asyncio.Event()
    undo = live.listen(lambda: loop.call_soon_threadsafe(wake.set))
    task = asyncio.create_task(
        follow(live, app[STORE], FollowSettings.from_env(), wake, app[CLOCK]),
        name="config-follow")
    yield
    undo()
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
