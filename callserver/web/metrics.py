"""`GET /metrics`: the server's health and load in Prometheus text format.

Access: a bearer token is always required, either `CALLSERVER_METRICS_TOKEN` (scrape-only: it
opens nothing else, so Prometheus never holds the admin token, which can reload the config) or
the admin token. It is not left open on a loopback listener because the usual way to expose
this server is a reverse proxy on the same host, which makes every outside request arrive from
loopback; and the figures (call volumes, campaign and pool names) are the customer's business.
In Prometheus: `authorization: {credentials_file: /etc/prometheus/callserver.token}`.

Store figures (calls by status, test calls aside; pool usage and exhaustions, outbox by
status) are read in one store hop per scrape; the live ones come from the app's parts. Swap
requests and their latency are measured by `measure_swap`, a middleware that passes every
other path straight through.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from callserver.probe.monitor.exposition import monitor_families
from callserver.probe.monitor.runner import stored_results
from callserver.store import calls, outbox, pool_table
from callserver.store.call_values import CallStatus
from callserver.store.outbox import DeliveryStatus
from callserver.store.pool_table import PoolUsage
from callserver.web.auth import require_admin, same_token
from callserver.web.exposition import (
    CONTENT_TYPE,
    Family,
    Histogram,
    Sample,
    by_label,
    render,
    single,
)
from callserver.web.keys import AGI, AMI, CLOCK, LIVE, SECRETS, STORE
from callserver.web.pools import POOL_SYNC, install_pool_sync

SWAP_PATH = "/swap/session"
# Seconds. A swap answers in about a millisecond; the upper buckets catch a stalled store.
SWAP_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
_QUEUED = (DeliveryStatus.PENDING, DeliveryStatus.CLAIMED)


class SwapStats:
    """Swap requests by method and status code, and how long they took."""

    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str]] = Counter()
        self.latency = Histogram(SWAP_BUCKETS)

    def record(self, method: str, status: int, seconds: float) -> None:
        self.requests[method, str(status)] += 1
        self.latency.observe(seconds)


SWAP_STATS = web.AppKey("swap_stats", SwapStats)


def measure_swap(stats: SwapStats) -> Middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != SWAP_PATH:
            return await handler(request)
        started = time.perf_counter()
        status = 500  # unless the handler answers or raises an HTTP error
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as error:
            status = error.status
            raise
        finally:
            stats.record(request.method, status, time.perf_counter() - started)

    return middleware


@dataclass(frozen=True)
class StoreFigures:
    calls: dict[CallStatus, int]
    pools: dict[str, PoolUsage]
    exhaustions: dict[str, int]
    deliveries: dict[DeliveryStatus, int]


def store_figures(conn: sqlite3.Connection, now: datetime) -> StoreFigures:
    """Everything /metrics needs from the store, in one read snapshot."""
    return StoreFigures(calls.count_by_status(conn), pool_table.usage(conn, now),
                        pool_table.exhaustions_by_pool(conn), outbox.count_by_status(conn))


def families(figures: StoreFigures, swaps: SwapStats, agi_sessions: int,
             ami_connected: bool) -> list[Family]:
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
    app[SWAP_STATS] = SwapStats()
    app.middlewares.append(measure_swap(app[SWAP_STATS]))

    async def metrics(request: web.Request) -> web.Response:
        _authorize(request)
        app = request.app
        await app[POOL_SYNC].ensure(app[STORE], app[LIVE].current)
        figures = await app[STORE].read(store_figures, app[CLOCK]())
        agi = app[AGI].active_sessions if AGI in app else 0
        ami = AMI in app and app[AMI].state == "connected"
        tested = (await stored_results(app)).results
        text = render([*families(figures, app[SWAP_STATS], agi, ami),
                       *monitor_families(tested)])
        return web.Response(body=text.encode(), headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get("/metrics", metrics)
