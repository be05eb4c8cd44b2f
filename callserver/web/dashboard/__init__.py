"""The dashboard under `/dashboard`: server-rendered pages over the reporting, pool and outbox
functions the JSON API uses, signed in with the same tokens, plus one small script for live
updates. No front-end build: the templates and the script ship as package data."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from callserver.web import swapjs
from callserver.web.dashboard import (
    access,
    calls,
    numbers,
    ops,
    release,
    snippet,
    sources,
    today,
)
from callserver.web.dashboard.render import Dashboard, environment
from callserver.web.dashboard.session import Signer

SCRIPT = Path(__file__).parents[1] / "static" / "dashboard.js"


def add_routes(app: web.Application, signer: Signer | None = None) -> None:
    """`signer` defaults to the key in CALLSERVER_DASHBOARD_KEY, or a random one."""
    app[access.DASHBOARD] = Dashboard(environment(), signer or Signer.from_env())
    access.add_routes(app)
    today.add_routes(app)
    calls.add_routes(app)
    sources.add_routes(app)
    numbers.add_routes(app)
    release.add_routes(app)
    snippet.add_routes(app)
    ops.add_routes(app)
    # Cached and revalidated like swap.js, which is served the same way.
    app.router.add_get("/dashboard/static/dashboard.js",
                       swapjs.handler(swapjs.Snippet.of(SCRIPT.read_bytes())))
