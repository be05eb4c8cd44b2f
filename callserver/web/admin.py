"""Admin API: config reload."""

from __future__ import annotations

import asyncio

from aiohttp import web

from callserver.live import UnavailableIssue
from callserver.web.auth import require_admin
from callserver.web.keys import LIVE, SECRETS


async def reload_config(request: web.Request) -> web.Response:
    require_admin(request, request.app[SECRETS])
    live = request.app[LIVE]
    issues = await asyncio.to_thread(live.reload)
    if issues:
        return web.json_response(
            {"reloaded": False, "config": live.current.digest[:12],
             "errors": [i.as_json() for i in issues]},
            status=503 if any(isinstance(i, UnavailableIssue) for i in issues) else 422)
    return web.json_response({"reloaded": True, "config": live.current.digest[:12],
                              "warnings": [w.as_json() for w in live.loaded.warnings]})


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/config/reload", reload_config)
