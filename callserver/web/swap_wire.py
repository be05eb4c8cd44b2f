"""The swap endpoint's wire: reading a page view's body and user agent as the store keeps
them, and answering it as JSON with the CORS headers its campaign allows. `web.swap` decides."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from aiohttp import web

from callserver import jsonwire
from callserver.attribution.offers import CampaignSwap
from callserver.attribution.request import MAX_BODY, BadRequest
from callserver.attribution.visit import origin
from callserver.store.columns import instant
from callserver.web.swap_record import Shown

MAX_USER_AGENT = 512


async def read_body(request: web.Request) -> bytes:
    """At most one byte past the limit is read, so an oversized body is refused cheaply; a
    body of announced length is read in one call (every browser announces it)."""
    length = request.content_length
    if (length or 0) > MAX_BODY:
        raise BadRequest(f"body over {MAX_BODY} bytes")
    if length is not None:
        try:
            return await request.content.readexactly(length)
        except asyncio.IncompleteReadError:
            raise BadRequest("body shorter than its Content-Length") from None
    body = bytearray()
    while len(body) <= MAX_BODY:
        chunk = await request.content.read(MAX_BODY + 1 - len(body))
        if not chunk:
            break
        body += chunk
    return bytes(body)


def cors_for(sent_origin: str | None, allowed: frozenset[str]) -> dict[str, str]:
    if sent_origin is None or origin(sent_origin) not in allowed:
        return {}
    return {"Access-Control-Allow-Origin": sent_origin, "Vary": "Origin"}


def answer(swap: CampaignSwap, shown: Shown, cors: dict[str, str]) -> web.Response:
    expires: datetime | None = shown.lease_expires_at
    body: dict[str, Any] = {
        "visitor_id": shown.visitor_id, "session_id": shown.session_id, "number": shown.number,
        "source": shown.source, "lease_expires_at": instant(expires) if expires else None,
        "renew_after_s": shown.renew_after_s, "swap_target": swap.swap_target,
        "capture_cookies": list(swap.capture_cookies), "cookie_domain": swap.cookie_domain}
    return _json(body, 200, cors)


def stored_agent(user_agent: str | None) -> str | None:
    """The agent as stored: cut to a sane length, and bytes that are not UTF-8 (aiohttp hands
    them over as lone surrogates, which no column can hold) shown as U+FFFD; such an agent
    is a script's, but its page view is still one."""
    if not user_agent:
        return None
    if not user_agent.isascii():
        user_agent = user_agent.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return user_agent[:MAX_USER_AGENT]


def error_answer(status: int, reason: str, headers: dict[str, str]) -> web.Response:
    return _json({"error": reason}, status, headers)


def _json(body: dict[str, Any], status: int, headers: dict[str, str]) -> web.Response:
    """orjson, where installed: a tenth of `json.dumps`'s time for an answer this size."""
    return web.Response(body=jsonwire.dumps(body), status=status, headers=headers,
                        content_type="application/json")
