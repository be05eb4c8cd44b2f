"""The hourly erasure of visitors' addresses and user agents (`privacy.erase_after_days`).

Each node sweeps at start and then every `EVERY`, in writes of `BATCH` sessions so that no
write holds the store long; sweeping twice is harmless, so nodes need no turn-taking. The days
are read from the live config at each sweep: a reload that sets or changes them applies at
the next one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

from aiohttp import web

from callserver.live import LiveConfig
from callserver.store.erasure import erase_personal
from callserver.store.open import AnyStore
from callserver.web.keys import CLOCK, LIVE, STORE

log = logging.getLogger(__name__)
EVERY = timedelta(hours=1)
BATCH = 5000


def erase_before(now: datetime, days: int | None) -> datetime | None:
    """Sessions last seen before this instant are erased; None when nothing is to be."""
    return None if days is None else now - timedelta(days=days)


async def sweep(store: AnyStore, live: LiveConfig, now: datetime) -> int:
    """One sweep to the end: every session due is erased, a batch per write."""
    before = erase_before(now, live.current.model.privacy.erase_after_days)
    erased = 0
    while before is not None:
        done = await store.write(erase_personal, before, BATCH)
        erased += done
        if done < BATCH:
            break
    return erased


async def erasure_ctx(app: web.Application) -> AsyncIterator[None]:
    """Needs the store opened by an earlier cleanup context."""
    task = asyncio.create_task(_loop(app[STORE], app[LIVE], app[CLOCK]), name="erasure")
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def _loop(store: AnyStore, live: LiveConfig, clock: Callable[[], datetime]) -> None:
    """A failed sweep loses nothing (the sessions wait for the next): logged with its cause."""
    while True:
        try:
            erased = await sweep(store, live, clock())
        except Exception:
            log.exception("erasing visitors' addresses failed; trying again in %s", EVERY)
        else:
            if erased:
                log.info("erased the address and user agent of %d visitor sessions", erased)
        await asyncio.sleep(EVERY.total_seconds())
