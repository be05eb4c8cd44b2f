"""`GET /metrics`: the server's health and load in Prometheus text format.

Access: a bearer token is always required, either `CALLSERVER_METRICS_TOKEN` (scrape-only: it
opens nothing else, so Prometheus never holds the admin token, which can reload the config) or
the admin token. It is not left open on a loopback listener because the usual way to expose
this server is a reverse proxy on the same host, which makes every outside request arrive from
loopback; and the figures (call volumes, campaign and pool names) are the customer's business.
In Prometheus: `authorization: {credentials_file: /etc/prometheus/callserver.token}`.

Store figures (calls by status, test calls aside; pool usage and exhaustions, outbox by
status) are read in one store hop per scrape; the live ones come from the app's parts, swap
requests and their latency from `swap_stats`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from callserver.probe.monitor.exposition import monitor_families
from callserver.probe.monitor.stored import shared_of
from callserver.store import call_totals, monitor_runs, outbox, pool_table
from callserver.store.call_values import CallStatus
from callserver.store.delivery_values import DeliveryStatus
from callserver.store.monitor_runs import Run
from callserver.store.pool_table import PoolUsage
from callserver.web.auth import require_admin, same_token
from callserver.web.exposition import (
    CONTENT_TYPE,
    Family,
    Sample,
    by_label,
    render,
    single,
)
from callserver.web.keys import AGI, AMI, CLOCK, LIVE, SECRETS, STORE
from callserver.web.pools import POOL_SYNC, install_pool_sync
from callserver.web.swap_stats import SWAP_STATS, SwapStats, install_swap_stats

_QUEUED = (DeliveryStatus.PENDING, DeliveryStatus.CLAIMED)


@dataclass(frozen=True)
class StoreFigures:
    calls: dict[CallStatus, int]
    pools: dict[str, PoolUsage]
    exhaustions: dict[str, int]
    deliveries: dict[DeliveryStatus, int]
    monitor_runs: list[Run]


def store_figures(conn: sqlite3.Connection, now: datetime, monitored: bool) -> StoreFigures:
    """Everything /metrics needs from the store, in one read snapshot: the monitor's stored
    runs too when the config has a monitor."""
    return StoreFigures(call_totals.count_by_status(conn), pool_table.usage(conn, now),
                        pool_table.exhaustions_by_pool(conn), outbox.count_by_status(conn),
                        monitor_runs.runs(conn) if monitored else [])


def families(figures: StoreFigures, swaps: SwapStats, agi_sessions: int,
             ami_connected: bool, config_warnings: int) -> list[Family]:
    pools = figures.pools
    exhausted = {pool: figures.exhaustions.get(pool, 0) for pool in pools}
    return [
        by_label("callserver_calls", "gauge",
                 "Call records in the store by status (test calls left out).", "status",
                 {str(s): n for s, n in figures.calls.items()}),
        single("callserver_agi_sessions", "gauge", "FastAGI sessions in progress on this node.",
               agi_sessions),
        Family("callserver_swap_requests_total", "counter",
               "Requests to /swap/session by method and status code.",
               tuple(Sample(n, (("method", method), ("code", code)))
                     for (method, code), n in sorted(swaps.requests.items()))),
        swaps.latency.family("callserver_swap_request_duration_seconds",
                             "Time to answer a request to /swap/session."),
        by_label("callserver_pool_numbers", "gauge", "Numbers in each pool.", "pool",
                 {pool: usage.size for pool, usage in pools.items()}),
        by_label("callserver_pool_leases_active", "gauge",
                 "Pool numbers leased to a visitor session now.", "pool",
                 {pool: usage.active for pool, usage in pools.items()}),
        by_label("callserver_pool_exhaustions_total", "counter",
                 "Times a session wanted a pool number and none was free.", "pool", exhausted),
        by_label("callserver_webhook_outbox", "gauge", "Outbox deliveries by status.",
                 "status", {str(s): n for s, n in figures.deliveries.items()}),
        single("callserver_webhook_outbox_depth", "gauge",
               "Deliveries waiting to be sent (pending or being attempted).",
               sum(figures.deliveries[s] for s in _QUEUED)),
        single("callserver_webhook_failed", "gauge",
               "Deliveries parked as failed after their last retry, until retried.",
               figures.deliveries[DeliveryStatus.PARKED]),
        single("callserver_ami_connected", "gauge",
               "1 while the AMI client is logged in to Asterisk, else 0.", int(ami_connected)),
        single("callserver_config_warnings", "gauge",
               "Warnings of the config file in force, as `callserver check` lists them.",
               config_warnings),
    ]


def _authorize(request: web.Request) -> None:
    secrets = request.app[SECRETS]
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if (secrets.metrics_token and scheme.lower() == "bearer"
            and same_token(token, secrets.metrics_token)):
        return
    require_admin(request, secrets)


def add_routes(app: web.Application) -> None:
    install_pool_sync(app)
    install_swap_stats(app)

    async def metrics(request: web.Request) -> web.Response:
        _authorize(request)
        app = request.app
        await app[POOL_SYNC].ensure(app[STORE], app[LIVE].current)
        now, config = app[CLOCK](), app[LIVE].current
        figures = await app[STORE].read(store_figures, now, config.model.monitor is not None)
        agi = app[AGI].active_sessions if AGI in app else 0
        ami = AMI in app and app[AMI].state == "connected"
        warned = len(app[LIVE].loaded.warnings)
        text = render([*families(figures, app[SWAP_STATS], agi, ami, warned),
                       *monitor_families(shared_of(figures.monitor_runs, now).results)])
        return web.Response(body=text.encode(), headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get("/metrics", metrics)
