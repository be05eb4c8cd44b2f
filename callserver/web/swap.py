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

import logging
import sqlite3

from aiohttp import web

from callserver import logs
from callserver.attribution.crawlers import is_crawler
from callserver.attribution.ids import new_id
from callserver.attribution.privacy import client_ip, stored_ip
from callserver.attribution.request import BadRequest, parse_request
from callserver.attribution.sources import first_match
from callserver.attribution.visit import as_matched, visit_of
from callserver.numbers.geo.locator import GEO, install_geo
from callserver.web.keys import CLOCK, LIVE, STORE, TRUSTED_PROXIES
from callserver.web.pools import POOL_SYNC, install_pool_sync
from callserver.web.swap_prepared import PREPARED, Preparer
from callserver.web.swap_record import Shown, Ticket, record_page_view
from callserver.web.swap_stats import install_swap_stats, timed
from callserver.web.swap_wire import answer, cors_for, error_answer, read_body, stored_agent

log = logging.getLogger(__name__)
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
            asked = parse_request(await read_body(request))
        except BadRequest as error:
            return error_answer(400, str(error), cors_for(sent_origin, prepared.origins))
        swap = prepared.swaps.get(asked.campaign)
        if swap is None:
            return error_answer(400, f"campaign: no campaign {asked.campaign!r}",
                                cors_for(sent_origin, prepared.origins))
        cors = cors_for(sent_origin, swap.origins)
        if sent_origin is not None and not cors:
            return error_answer(403, f"origin {sent_origin!r} is not one of the campaign's "
                                     "sites", {})
        visit = visit_of(asked.url, asked.referrer)
        matched = first_match(prepared.rules, as_matched(visit, swap.origins))
        user_agent = request.headers.get("User-Agent")
        if is_crawler(user_agent):
            offer = swap.offer(matched)
            shown = Shown(asked.visitor_id or new_id(), None, swap.shown_without_lease(offer),
                          matched, None, None, "crawler")
            _log_decision(swap.name, shown)
            return answer(swap, shown, cors)
        ip = client_ip(request.remote, request.headers.get("X-Forwarded-For"),
                       request.app[TRUSTED_PROXIES])
        new_visitor_id, new_session_id = new_id.pair()
        ticket = Ticket(
            swap=swap, request=asked, visit=visit, matched=matched, now=request.app[CLOCK](),
            new_visitor_id=new_visitor_id, new_session_id=new_session_id,
            ip=stored_ip(ip, prepared.privacy.ip, prepared.ip_key),
            user_agent=stored_agent(user_agent),
            limits=prepared.limits, near=request.app[GEO].near(config, swap.name, ip))
        store = request.app[STORE]
        await request.app[POOL_SYNC].ensure(store, config)
        try:
            shown = await store.write(record_page_view, ticket, read_committed=True)
        except sqlite3.Error:  # PostgreSQL's errors arrive as sqlite3's too
            log.exception("swap campaign=%s: the store did not take the page view", swap.name)
            return error_answer(503, "store unavailable: try again", {**cors, "Retry-After": "1"})
        _log_decision(swap.name, shown)
        return answer(swap, shown, cors)

    async def preflight(request: web.Request) -> web.Response:
        prepared = request.app[PREPARED](request.app[LIVE].current)
        cors = cors_for(request.headers.get("Origin"), prepared.origins)
        if not cors:
            return error_answer(403, "origin is not one of any campaign's sites", {})
        return web.Response(status=204, headers={
            **cors, "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE})

    stats = install_swap_stats(app)
    app.router.add_post("/swap/session", timed(stats, swap_session))
    app.router.add_route("OPTIONS", "/swap/session", timed(stats, preflight))


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
