"""Replacement tokens for webhook templates: one plain dict per call event.

Every value is JSON (instants as ISO-8601 text in UTC), so the default body is this dict as
JSON and a template sees the same names and values a receiver of the default body would.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from callserver.config.resolve import NumberView
from callserver.config.schema import Config
from callserver.store.call_values import Call
from callserver.store.sessions import VisitorSession
from callserver.webhooks.crm import crm_payload
from callserver.webhooks.visit import iso, session_tokens

TOKENS = ("event", "call", "number", "campaign", "source", "publisher", "tags", "sub_id",
          "session", "crm")
_ENDED = ("answered_at", "ended_at", "talk_seconds", "ring_seconds", "answered_target",
          "recording", "voicemail", "revenue", "payout")


def call_context(model: Config, view: NumberView, call: Call, session: VisitorSession | None,
                 event: str) -> dict[str, Any]:
    """Every token a template may use for `event` of `call` to `view`'s number."""
    window = timedelta(seconds=model.attribution.merge_window_s)
    return {
        "event": event,
        "call": _call(call),
        "number": {"number": view.number, "kind": view.kind, "region": view.region,
                   "country": view.country, "role": view.role, "pool": view.pool},
        "campaign": _campaign(model, call.campaign or view.campaign),
        "source": _source(model, call.source),
        "publisher": _publisher(model, call.publisher),
        "tags": dict(call.tags),
        "sub_id": call.sub_id,
        "session": session_tokens(session),
        "crm": crm_payload(call, session, window,
                           model.campaigns[view.campaign].analytics.crm_id_cookie),
    }


def _call(call: Call) -> dict[str, Any]:
    end = call.end
    ended: dict[str, Any] = {name: getattr(end, name, None) for name in _ENDED}
    ended["answered_at"] = iso(ended["answered_at"])
    ended["ended_at"] = iso(ended["ended_at"])
    return {"id": call.id, "caller": call.caller, "number": call.number,
            "started_at": iso(call.started_at), "status": str(call.status),
            "converted": bool(end and end.converted), "ivr_path": list(call.ivr_path), **ended}


def _campaign(model: Config, name: str) -> dict[str, Any]:
    campaign = model.campaigns.get(name)
    display = campaign.name if campaign is not None and campaign.name else name
    return {"name": name, "display_name": display}


def _source(model: Config, name: str | None) -> dict[str, Any]:
    source = model.sources.get(name) if name else None
    cost = source.cost.model_dump() if source is not None and source.cost else None
    return {"name": name, "tags": dict(source.tags) if source else {}, "cost": cost}


def _publisher(model: Config, name: str | None) -> dict[str, Any]:
    publisher = model.publishers.get(name) if name else None
    return {"id": name, "name": publisher.name if publisher and publisher.name else name}
