"""Google Analytics 4: a completed call as a Measurement Protocol `phone_call` event, and a
converted one also as the campaign's `converted_event` (GA4 marks key events by name).

The visitor's own client id (from the `_ga` cookie the session captured) ties the call to their
web journey in GA; without a session, the tracking source's configured fallback values (seed
001) say where the call came from, under a client id made from the call's id. The API secret
is never stored: the worker adds it from the environment when it sends. Text values are cut to
GA4's 100 characters, which it would otherwise refuse.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from urllib.parse import quote

from callserver.config.schema import Config
from callserver.config.schema.campaign import Ga4
from callserver.store.call_values import Call
from callserver.store.sessions import VisitorSession

ENDPOINT_ENV = "CALLSERVER_GA4_ENDPOINT"
DEFAULT_ENDPOINT = "https://www.google-analytics.com"
EVENT = "phone_call"
VALUE_LIMIT = 100  # characters of a parameter value, for a standard GA4 property


def collect_url(measurement_id: str, env: Mapping[str, str]) -> str:
    """Where the event goes; `CALLSERVER_GA4_ENDPOINT` points it elsewhere (tests, a proxy)."""
    base = (env.get(ENDPOINT_ENV) or DEFAULT_ENDPOINT).rstrip("/")
    return f"{base}/mp/collect?measurement_id={quote(measurement_id)}"


def client_id_from_cookie(value: str) -> str | None:
    """`GA1.1.123.456` -> `123.456`: the client id inside a `_ga` cookie, or None."""
    parts = value.strip().split(".")
    if len(parts) < 4 or not parts[0].startswith("GA"):
        return None
    random_part, first_visit = parts[-2:]
    return f"{random_part}.{first_visit}" if (random_part + first_visit).isdigit() else None


def generated_client_id(call: Call) -> str:
    """A GA-shaped client id (random.seconds) made from the call, the same on every retry."""
    digest = int.from_bytes(hashlib.sha256(call.id.encode()).digest()[:4], "big")
    return f"{digest % 2_000_000_000}.{int(call.started_at.timestamp())}"


def event_name(settings: Ga4, event: str) -> str | None:
    """The GA4 event a call event sends, if any: `phone_call` for every completed call, and
    the campaign's `converted_event`, when it names one, for a converted call."""
    if event == "call.completed":
        return EVENT
    return settings.converted_event if event == "call.converted" else None


def event_body(model: Config, call: Call, session: VisitorSession | None, name: str) -> str:
    """The Measurement Protocol request body for `call` as event `name`."""
    client_id = None
    if session is not None:
        client_id = client_id_from_cookie(session.cookies.get("_ga", ""))
    end = call.end
    at = end.ended_at if end is not None else call.started_at
    return json.dumps({
        "client_id": client_id or generated_client_id(call),
        "timestamp_micros": int(at.timestamp() * 1_000_000),
        "events": [{"name": name, "params": _params(model, call, session)}],
    }, separators=(",", ":"))


def _params(model: Config, call: Call, session: VisitorSession | None) -> dict[str, str | int]:
    """Where the call came from (the session's UTM values and landing page, else the source's
    fallback), how long it talked and whether it converted; a value the call lacks is left
    out rather than sent empty."""
    source = model.sources.get(call.source) if call.source else None
    fallback = source.analytics if source is not None else None
    defaults = {"source": call.source or "(direct)", "medium": "(none)", "campaign": "(not set)"}
    params: dict[str, str | int] = {
        name: _cut((session and getattr(session, f"utm_{name}"))
                   or (fallback and getattr(fallback, name)) or default)
        for name, default in defaults.items()}
    for name in ("term", "content"):
        value = session and getattr(session, f"utm_{name}")
        if value:
            params[name] = _cut(value)
    if session is not None and session.landing_url:
        params["landing_page"] = _cut(_landing_page(session.landing_url))
    end = call.end
    params["duration"] = round(end.talk_seconds or 0) if end is not None else 0
    params["converted"] = int(bool(end and end.converted))
    return params


def _landing_page(url: str) -> str:
    """The page without its query or fragment: the UTM values and click ids in the query are
    sent apart, and would fill the 100 characters before the path could show."""
    return url.partition("#")[0].partition("?")[0]


def _cut(value: str) -> str:
    return value[:VALUE_LIMIT]
