"""Admin pages over the machinery: `GET /dashboard/pools` (leases, utilisation, exhaustion and
the recommended size, as `GET /api/pools` reports them) and `GET /dashboard/webhooks` (the
outbox by status, parked deliveries with their last error, as `GET /api/webhooks/deliveries`,
each with a retry button that does what `POST /api/webhooks/deliveries/{id}/retry` does).

Both are the admin's alone: pools and webhooks belong to campaigns, not to a publisher.
"""

from __future__ import annotations

from aiohttp import web

from callserver.store.delivery_values import DeliveryStatus
from callserver.web import outbox
from callserver.web.dashboard.access import DASHBOARD, admin_only, posted_by_our_page
from callserver.web.dashboard.render import HEADERS
from callserver.web.keys import CLOCK, STORE
from callserver.web.pools import install_pool_sync, pool_report

SHOWN = 100


def add_routes(app: web.Application) -> None:
    install_pool_sync(app)

    async def pools(request: web.Request) -> web.Response:
        principal = admin_only(request)
        return request.app[DASHBOARD].page(request, "pools", principal,
                                           report=await pool_report(request.app))

    async def webhooks(request: web.Request) -> web.Response:
        principal = admin_only(request)
        statuses = {status.value: status for status in DeliveryStatus}
        status = statuses.get(request.query.get("status", ""), DeliveryStatus.PARKED)
        shown, counts = await request.app[STORE].read(outbox.listing, status, SHOWN)
        return request.app[DASHBOARD].page(
            request, "webhooks", principal, shown=status, statuses=list(DeliveryStatus),
            counts=counts, deliveries=[outbox.delivery_json(d) for d in shown])

    async def retry(request: web.Request) -> web.Response:
        admin_only(request)
        await posted_by_our_page(request)
        await request.app[STORE].write(outbox.requeue_parked, request.match_info["id"],
                                       request.app[CLOCK]())
        return web.Response(status=303, headers={**HEADERS, "Location": "/dashboard/webhooks"})

    app.router.add_get("/dashboard/pools", pools)
    app.router.add_get("/dashboard/webhooks", webhooks)
    app.router.add_post("/dashboard/webhooks/{id}/retry", retry)
