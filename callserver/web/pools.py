"""`GET /api/pools`, and the store's pool table kept in step with the live config.

The config says which numbers each pool holds; the store holds their leases. The table is
synced once the store is open, and again by the first request after a reload changed the
config (`PoolSync.ensure`), so a reload needs no hook of its own.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from callserver.attribution.offers import pool_key, pool_numbers
from callserver.attribution.pool_stats import peak_concurrency, recommended_size
from callserver.config.resolve import ResolvedConfig
from callserver.config.schema import Pool
from callserver.store import lease_reads, leases, pool_table, session_leases
from callserver.store.columns import instant
from callserver.store.open import AnyStore
from callserver.web.auth import require_admin
from callserver.web.keys import CLOCK, LIVE, SECRETS, STORE

REPORT_WINDOW = timedelta(days=1)


class PoolSync:
    """Syncs the config's pools into the store once per config digest."""

    def __init__(self) -> None:
        self._digest: str | None = None
        self._lock = asyncio.Lock()

    async def ensure(self, store: AnyStore, config: ResolvedConfig) -> None:
        if self._digest == config.digest:
            return
        async with self._lock:
            if self._digest != config.digest:
                await store.write(pool_table.sync_pools, pool_numbers(config))
                self._digest = config.digest


POOL_SYNC = web.AppKey("pool_sync", PoolSync)


@dataclass(frozen=True)
class _Observed:
    live: list[leases.Lease]
    exhaustions: int
    demand: list[tuple[datetime, datetime]]


def _observe(conn: sqlite3.Connection, demand_since: dict[str, datetime],
             now: datetime) -> dict[str, _Observed]:
    """Per pool key, in one read: live leases, exhaustions and the sessions that wanted one."""
    since = now - REPORT_WINDOW
    return {key: _Observed(lease_reads.live(conn, key, now),
                           pool_table.exhaustions_since(conn, key, since),
                           session_leases.pool_demand(conn, key, seen_since))
            for key, seen_since in demand_since.items()}


def _entry(campaign: str, name: str, pool: Pool, seen: _Observed,
           now: datetime) -> dict[str, Any]:
    ttl = timedelta(seconds=pool.session_timeout)
    since = now - REPORT_WINDOW
    peak = peak_concurrency((max(first, since), last + ttl) for first, last in seen.demand)
    size = len(pool.numbers)
    return {
        "campaign": campaign, "pool": name, "name": pool.name or name,
        "numbers": list(pool.numbers),
        "fallback": pool.fallback, "session_timeout": pool.session_timeout,
        "size": size, "active": len(seen.live),
        "utilisation": round(len(seen.live) / size, 4) if size else 0.0,
        "leases": [{"number": lease.number, "session_id": lease.session_id,
                    "leased_at": instant(lease.leased_at),
                    "expires_at": instant(lease.expires_at)} for lease in seen.live],
        "exhaustions_last_day": seen.exhaustions,
        "peak_sessions_last_day": peak,
        "recommended_size": recommended_size(peak),
    }


def install_pool_sync(app: web.Application) -> None:
    """The pool sync every pool-aware route shares; installed once per app."""
    if POOL_SYNC in app:
        return
    app[POOL_SYNC] = PoolSync()
    async def sync_at_start(app: web.Application) -> None:
        await app[POOL_SYNC].ensure(app[STORE], app[LIVE].current)

    app.on_startup.append(sync_at_start)


async def pool_report(app: web.Application) -> dict[str, Any]:
    """Every pool of the live config with its leases, utilisation and recommended size: the
    body of `GET /api/pools`, shared with the dashboard's pools page."""
    config, store, now = app[LIVE].current, app[STORE], app[CLOCK]()
    await app[POOL_SYNC].ensure(store, config)
    pools = [(name, pool_name, pool) for name, campaign in config.model.campaigns.items()
             for pool_name, pool in campaign.pools.items()]
    # A session wanted a number until its lease would have ended after its last view.
    since = {pool_key(name, pool_name): now - REPORT_WINDOW - timedelta(
        seconds=pool.session_timeout) for name, pool_name, pool in pools}
    observed = await store.read(_observe, since, now)
    return {"at": instant(now), "pools": [
        _entry(name, pool_name, pool, observed[pool_key(name, pool_name)], now)
        for name, pool_name, pool in pools]}


def add_routes(app: web.Application) -> None:
    install_pool_sync(app)

    async def pools(request: web.Request) -> web.Response:
        require_admin(request, request.app[SECRETS])
        return web.json_response(await pool_report(request.app))

    app.router.add_get("/api/pools", pools)
