"""`GET /api/monitor` (admin only): the monitor's last test call per number, as
`callserver test-call` prints it, plus what is configured and when each number is next. The
results are the store's, so every node sharing it shows the same."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from callserver.probe.monitor.runner import stored_results
from callserver.probe.monitor.schedule import next_run, plan_of
from callserver.probe.verdict import verdict_json
from callserver.web.auth import require_admin
from callserver.web.keys import CLOCK, LIVE, SECRETS


async def monitor_json(request: web.Request) -> dict[str, Any]:
    app = request.app
    monitor = app[LIVE].current.model.monitor
    results = (await stored_results(app)).results
    now = app[CLOCK]()
    numbers = []
    for planned in plan_of(monitor) if monitor is not None else ():
        last = results.get(planned.spec.number)
        numbers.append({
            "number": planned.spec.number, "digits": planned.spec.digits,
            "expect_target": planned.spec.expect_target, "interval_s": planned.interval_s,
            "next_run": next_run(now, planned, last).isoformat().replace("+00:00", "Z"),
            "last": None if last is None else verdict_json(last)})
    return {"enabled": monitor is not None,
            "server": monitor.server if monitor is not None else None, "numbers": numbers}


def add_routes(app: web.Application) -> None:
    async def monitor(request: web.Request) -> web.Response:
        require_admin(request, request.app[SECRETS])
        return web.json_response(await monitor_json(request))

    app.router.add_get("/api/monitor", monitor)
