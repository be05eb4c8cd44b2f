"""`POST /swap/session`: which number a page view shows, with its visitor session stored.

A request costs one store hop: the visitor's last session is read, the lease renewed or taken
and the session written in one function of the group-committed writer (FIELD-NOTES: the 0.5x
goal needs that design). Crawlers cost none: they are shown a number and nothing is stored.
There is no access log here; one DEBUG line per decision stands in for it (`_log_decision`):
at INFO it cost a fifth of the endpoint's requests per second in bench/swap.py. A store that
fails the write (locked, unreachable, a write that kept losing races to other nodes) gets the
visitor a 503 to try again, and an error line with the cause: the page keeps its own number.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import datetime
from typing import Any

from aiohttp import web

from callserver import jsonwire, logs
from callserver.attribution.crawlers import is_crawler
from callserver.attribution.ids import new_id
from callserver.attribution.offers import CampaignSwap
from callserver.attribution.privacy import client_ip, stored_ip
from callserver.attribution.request import MAX_BODY, BadRequest, parse_request
from callserver.attribution.sources import first_match
from callserver.attribution.visit import as_matched, origin, visit_of
from callserver.numbers.geo.locator import GEO, install_geo
from callserver.store.columns import instant
from callserver.web.keys import CLOCK, LIVE, STORE, TRUSTED_PROXIES
from callserver.web.pools import POOL_SYNC, install_pool_sync
from callserver.web.swap_prepared import PREPARED, Preparer
from callserver.web.swap_record import Shown, Ticket, record_page_view
from callserver.web.swap_stats import install_swap_stats, timed

log = logging.getLogger(__name__)
MAX_USER_AGENT = 512
PREFLIGHT_MAX_AGE = "86400"


def add_routes(app: web.Application) -> None:
    install_pool_sync(app)
    install_geo(app)
    app[PREPARED] = Preparer()
    async def swap_session(request: web.Request) -> web.Response:
        config = request.app[LIVE].current
        prepared = request.app[PREPARED](config)
        sent_origin = request.headers.get("Origin")
        try:
            asked = parse_request(await _body(request))
        except BadRequest as error:
            return _error(400, str(error), _cors(sent_origin, prepared.origins))
        swap = prepared.swaps.get(asked.campaign)
        if swap is None:
            return _error(400, f"campaign: no campaign {asked.campaign!r}",
                          _cors(sent_origin, prepared.origins))
        cors = _cors(sent_origin, swap.origins)
        if sent_origin is not None and not cors:
            return _error(403, f"origin {sent_origin!r} is not one of the campaign's sites", {})
        visit = visit_of(asked.url, asked.referrer)
        matched = first_match(prepared.rules, as_matched(visit, swap.origins))
        user_agent = request.headers.get("User-Agent")
        if is_crawler(user_agent):
            offer = swap.offer(matched)
            shown = Shown(asked.visitor_id or new_id(), None, swap.shown_without_lease(offer),
                          matched, None, None, "crawler")
            _log_decision(swap.name, shown)
            return _answer(swap, shown, cors)
        ip = client_ip(request.remote, request.headers.get("X-Forwarded-For"),
                       request.app[TRUSTED_PROXIES])
        new_visitor_id, new_session_id = new_id.pair()
        ticket = Ticket(
            swap=swap, request=asked, visit=visit, matched=matched, now=request.app[CLOCK](),
            new_visitor_id=new_visitor_id, new_session_id=new_session_id,
            ip=stored_ip(ip, prepared.privacy.ip, prepared.ip_key),
            user_agent=_stored_agent(user_agent),
            limits=prepared.limits, near=request.app[GEO].near(config, swap.name, ip))
        store = request.app[STORE]
        await request.app[POOL_SYNC].ensure(store, config)
        try:
            shown = await store.write(record_page_view, ticket, read_committed=True)
        except sqlite3.Error:  # PostgreSQL's errors arrive as sqlite3's too
            log.exception("swap campaign=%s: the store did not take the page view", swap.name)
            return _error(503, "store unavailable: try again", {**cors, "Retry-After": "1"})
        _log_decision(swap.name, shown)
        return _answer(swap, shown, cors)

    async def preflight(request: web.Request) -> web.Response:
        prepared = request.app[PREPARED](request.app[LIVE].current)
        cors = _cors(request.headers.get("Origin"), prepared.origins)
        if not cors:
            return _error(403, "origin is not one of any campaign's sites", {})
        return web.Response(status=204, headers={
            **cors, "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE})

    stats = install_swap_stats(app)
    app.router.add_post("/swap/session", timed(stats, swap_session))
    app.router.add_route("OPTIONS", "/swap/session", timed(stats, preflight))


async def _body(request: web.Request) -> bytes:
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


def _cors(sent_origin: str | None, allowed: frozenset[str]) -> dict[str, str]:
    if sent_origin is None or origin(sent_origin) not in allowed:
        return {}
    return {"Access-Control-Allow-Origin": sent_origin, "Vary": "Origin"}


def _answer(swap: CampaignSwap, shown: Shown, cors: dict[str, str]) -> web.Response:
    expires: datetime | None = shown.lease_expires_at
    body: dict[str, Any] = {
        "visitor_id": shown.visitor_id, "session_id": shown.session_id, "number": shown.number,
        "source": shown.source, "lease_expires_at": instant(expires) if expires else None,
        "renew_after_s": shown.renew_after_s, "swap_target": swap.swap_target,
        "capture_cookies": list(swap.capture_cookies), "cookie_domain": swap.cookie_domain}
    return _json(body, 200, cors)


def _stored_agent(user_agent: str | None) -> str | None:
    """The agent as stored: cut to a sane length, and bytes that are not UTF-8 (aiohttp hands
    them over as lone surrogates, which no column can hold) shown as U+FFFD; such an agent
    is a script's, but its page view is still one."""
    if not user_agent:
        return None
    if not user_agent.isascii():
        user_agent = user_agent.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return user_agent[:MAX_USER_AGENT]


def _error(status: int, reason: str, headers: dict[str, str]) -> web.Response:
    return _json({"error": reason}, status, headers)


def _json(body: dict[str, Any], status: int, headers: dict[str, str]) -> web.Response:
    """orjson, where installed: a tenth of `json.dumps`'s time for an answer this size."""
    return web.Response(body=jsonwire.dumps(body), status=status, headers=headers,
                        content_type="application/json")


def _log_decision(campaign: str, shown: Shown) -> None:
    """The decision, named by its session through `logs.session_id`. Nothing personal: no IP
    (privacy.ip governs what is stored, and a log is not the store), no user agent, no URL or
    referrer (they can carry e-mail addresses), no cookies, no visitor id; the number is ours."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    token = logs.session_id.set(shown.session_id)
    try:
        log.debug("swap campaign=%s source=%s number=%s lease=%s", campaign, shown.source,
                 shown.number, shown.lease)
    finally:
        logs.session_id.reset(token)
