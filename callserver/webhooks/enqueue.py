"""Call events into outbox rows, inside the store write that records the event.

The Asterisk edge calls `enqueue_for_call` in the same function (so the same transaction) as
the call-record change it reports: the event and its deliveries commit together or not at all.
Templates are rendered here, once; a template that fails for this call (check passed, the data
did not fit) becomes a parked row naming the error, visible in the API, never a failed call.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.config.schema import Webhook
from callserver.store import outbox
from callserver.store.call_values import Call
from callserver.store.delivery_values import Delivery, DeliveryKind, DeliveryStatus
from callserver.store.sessions import VisitorSession
from callserver.webhooks import ga4
from callserver.webhooks.context import call_context
from callserver.webhooks.templates import render
from callserver.webhooks.urls import url_problem
from callserver.webhooks.visit import iso

JSON = "application/json"


def enqueue_for_call(conn: sqlite3.Connection, config: ResolvedConfig, view: NumberView,
                     call: Call, session: VisitorSession | None, event: str, now: datetime,
                     env: Mapping[str, str] = os.environ) -> list[Delivery]:
    """Write a delivery for every webhook of the number that fires on `event` (and the GA4
    hit `ga4.event_name` names for it); returns them as written."""
    planned = deliveries_for_call(config, view, call, session, event, now, env)
    for delivery in planned:
        outbox.enqueue(conn, delivery)
    return planned


def deliveries_for_call(config: ResolvedConfig, view: NumberView, call: Call,
                        session: VisitorSession | None, event: str, now: datetime,
                        env: Mapping[str, str]) -> list[Delivery]:
    hooks = [hook for hook in view.webhooks if event in hook.on]
    context = call_context(config.model, view, call, session, event) if hooks else {}
    planned = [_webhook(hook, i, context, call, event, now) for i, hook in enumerate(hooks)]
    ga4_config = config.model.campaigns[view.campaign].analytics.ga4
    name = ga4.event_name(ga4_config, event) if ga4_config is not None else None
    if ga4_config is not None and name is not None:
        planned.append(Delivery(
            id=str(uuid.uuid4()), event=event, call_id=call.id, created_at=now,
            next_attempt_at=now, url=ga4.collect_url(ga4_config.measurement_id, env),
            headers={"content-type": JSON}, body=ga4.event_body(config.model, call, session, name),
            kind=DeliveryKind.GA4, secret_env=ga4_config.api_secret_env))
    return planned


def _webhook(hook: Webhook, index: int, context: dict[str, Any], call: Call, event: str,
             now: datetime) -> Delivery:
    delivery = Delivery(id=str(uuid.uuid4()), event=event, call_id=call.id, url=hook.url,
                        body=hook.body or "", created_at=now, next_attempt_at=now,
                        method=hook.method, secret_env=hook.secret_env,
                        headers_env={name.lower(): var for name, var in hook.headers_env.items()})
    try:
        url = _render("url", hook.url, context)
        headers = {name.lower(): _render(f"header {name}", value, context)
                   for name, value in hook.headers.items()}
        body = (_default_body(delivery.id, context, now) if hook.body is None
                else _render("body", hook.body, context))
    except _RenderFailed as exc:
        return _parked(delivery, f"webhook {index} ({hook.url}): {exc}", now)
    problem = url_problem(url)
    if problem is not None:
        return _parked(delivery, f"webhook {index}: {problem}", now)
    return replace(delivery, url=url, headers={"content-type": JSON} | headers, body=body)


class _RenderFailed(Exception):
    pass


def _render(field: str, text: str, context: dict[str, Any]) -> str:
    try:
        rendered = render(text, context)
    except Exception as exc:  # whatever the template raised: kept as the parked row's error
        raise _RenderFailed(f"{field} template failed: {exc}") from exc
    if field.startswith("header") and ("\r" in rendered or "\n" in rendered):
        raise _RenderFailed(f"{field} renders a line break")
    return rendered


def _default_body(delivery_id: str, context: dict[str, Any], now: datetime) -> str:
    """The Standard Webhooks payload shape: type, timestamp, and the whole context as data."""
    return json.dumps({"id": delivery_id, "type": context["event"], "timestamp": iso(now),
                       "data": context}, separators=(",", ":"))


def _parked(delivery: Delivery, error: str, now: datetime) -> Delivery:
    return replace(delivery, status=DeliveryStatus.PARKED, last_error=error, settled_at=now)
