"""`GET /healthz`: a load balancer's question, "send this node traffic?", answered from its parts.

200 while the store answers a query and the FastAGI listener is up; 503 otherwise, so a node
that lost its database or its AGI port is taken out of rotation. AMI is reported but does not
fail the check: without it calls are still routed and recorded, only followed less closely.
"""

from __future__ import annotations

import asyncio
import sqlite3

from aiohttp import web

from callserver.web.keys import AGI, AMI, LIVE, STORE

STORE_PROBE_S = 2.0


def _probe(conn: sqlite3.Connection) -> None:
    conn.execute("SELECT 1").fetchone()


async def _store_state(app: web.Application) -> str:
    if STORE not in app:
        return "closed"
    try:
        async with asyncio.timeout(STORE_PROBE_S):
            await app[STORE].read(_probe)
    except (TimeoutError, RuntimeError, sqlite3.Error) as error:
        return f"failing: {type(error).__name__}: {error}"
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
    app.router.add_get("/healthz", healthz)
