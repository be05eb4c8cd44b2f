"""Admin API over the webhook outbox: what is waiting, what failed and why, and a retry button.

`GET /api/webhooks/deliveries?status=parked` (the default; `failed` means the same) lists the
newest deliveries in a status with the count in every status; `POST
/api/webhooks/deliveries/{id}/retry` gives a parked delivery a fresh series of attempts.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from aiohttp import web

from callserver.store import outbox
from callserver.store.columns import instant, optional_instant
from callserver.store.delivery_values import Delivery, DeliveryStatus
from callserver.web.auth import require_admin
from callserver.web.keys import CLOCK, SECRETS, STORE

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_STATUSES = {status.value: status for status in DeliveryStatus} | {
    "failed": DeliveryStatus.PARKED}
_PARAMETERS = frozenset({"status", "limit"})


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    return {"id": delivery.id, "event": delivery.event, "kind": delivery.kind,
            "call_id": delivery.call_id, "method": delivery.method, "url": delivery.url,
            "headers": dict(delivery.headers), "headers_env": dict(delivery.headers_env),
            "body": delivery.body, "status": delivery.status,
            "attempts": delivery.attempts, "last_error": delivery.last_error,
            "created_at": instant(delivery.created_at),
            "next_attempt_at": instant(delivery.next_attempt_at),
            "settled_at": optional_instant(delivery.settled_at)}


def listing(conn: sqlite3.Connection, status: DeliveryStatus,
            limit: int) -> tuple[list[Delivery], dict[DeliveryStatus, int]]:
    """The newest deliveries in `status` and the count in every status, in one read (the
    dashboard's webhooks page shows the same)."""
    return outbox.with_status(conn, status, limit), outbox.count_by_status(conn)


def requeue_parked(conn: sqlite3.Connection, delivery_id: str,
                   now: datetime) -> tuple[bool, Delivery | None]:
    requeued = outbox.requeue(conn, delivery_id, now)
    return requeued, outbox.get(conn, delivery_id)


def _bad_request(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": message}),
                              content_type="application/json")


def _limit(text: str | None) -> int:
    if text is None:
        return DEFAULT_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise _bad_request(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(text)


def add_routes(app: web.Application) -> None:
    async def deliveries(request: web.Request) -> web.Response:
        require_admin(request, request.app[SECRETS])
        unknown = sorted(set(request.query) - _PARAMETERS)
        if unknown:  # a misspelt `status` must not quietly list parked deliveries
            raise _bad_request(f"{unknown[0]}: unknown parameter; expected status or limit")
        status = _STATUSES.get(request.query.get("status", "parked"))
        if status is None:
            raise _bad_request(f"status must be one of {', '.join(_STATUSES)}")
        rows, counts = await request.app[STORE].read(
            listing, status, _limit(request.query.get("limit")))
        return web.json_response({"status": status, "counts": counts,
                                  "deliveries": [delivery_json(d) for d in rows]})

    async def retry(request: web.Request) -> web.Response:
        require_admin(request, request.app[SECRETS])
        delivery_id = request.match_info["id"]
        requeued, delivery = await request.app[STORE].write(
            requeue_parked, delivery_id, request.app[CLOCK]())
        if delivery is None:
            raise web.HTTPNotFound(text='{"error": "no such delivery"}',
                                   content_type="application/json")
        body = {"retried": requeued, "delivery": delivery_json(delivery)}
        if not requeued:
            body["error"] = f"only a parked delivery can be retried; this one is {delivery.status}"
        return web.json_response(body, status=200 if requeued else 409)

    app.router.add_get("/api/webhooks/deliveries", deliveries)
    app.router.add_post("/api/webhooks/deliveries/{id}/retry", retry)
