"""`GET /healthz`: a load balancer's question, "send this node traffic?", answered from its parts.

200 while the store answers a query and the FastAGI listener is up; 503 otherwise, so a node
that lost its database or its AGI port is taken out of rotation. AMI is reported but does not
fail the check: without it calls are still routed and recorded, only followed less closely.

The route is public, so a failing store is named by its exception's class only: the message
of a PostgreSQL error names the database's host, port and user. The message goes to the log,
once when the failure starts or changes, not on each of a load balancer's probes.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3

from aiohttp import web

from callserver.web.keys import AGI, AMI, LIVE, STORE

STORE_PROBE_S = 2.0
log = logging.getLogger(__name__)


class StoreHealth:
    """The last probe's failure, so that a log line marks each change of the store's state."""

    def __init__(self) -> None:
        self.failure: str | None = None

    def failing(self, error: BaseException) -> None:
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        if text != self.failure:
            log.error("health: the store is failing: %s", text)
        self.failure = text

    def answers(self) -> None:
        if self.failure is not None:
            log.warning("health: the store answers again")
        self.failure = None


STORE_HEALTH = web.AppKey("store_health", StoreHealth)


def _probe(conn: sqlite3.Connection) -> None:
    conn.execute("SELECT 1").fetchone()


async def _store_state(app: web.Application) -> str:
    if STORE not in app:
        return "closed"
    try:
        async with asyncio.timeout(STORE_PROBE_S):
            await app[STORE].read(_probe)
    except (TimeoutError, RuntimeError, sqlite3.Error) as error:
        app[STORE_HEALTH].failing(error)
        return f"failing: {type(error).__name__}"
    app[STORE_HEALTH].answers()
    return "ok"


async def healthz(request: web.Request) -> web.Response:
    app = request.app
    parts = {
        "store": await _store_state(app),
        "agi": "listening" if AGI in app and app[AGI].serving else "down",
        "ami": str(app[AMI].state) if AMI in app else "off",
    }
    healthy = parts["store"] == "ok" and parts["agi"] == "listening"
    body = {"status": "ok" if healthy else "degraded", "config": app[LIVE].current.digest[:12],
            **parts}
    return web.json_response(body, status=200 if healthy else 503)


def add_routes(app: web.Application) -> None:
    app[STORE_HEALTH] = StoreHealth()
    app.router.add_get("/healthz", healthz)
