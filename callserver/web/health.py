"""`GET /healthz`: is the process serving, on which config, and can it reach its parts."""

from __future__ import annotations

from aiohttp import web

from callserver.web.keys import HEALTH, LIVE


async def healthz(request: web.Request) -> web.Response:
    app = request.app
    parts = app[HEALTH]() if HEALTH in app else {}
    body = {"status": "ok", "config": app[LIVE].current.digest[:12], **parts}
    return web.json_response(body)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
