"""`POST /swap/session`: which number a page view shows, with its visitor session stored.

A request costs one store hop: the visitor's last session is read, the lease renewed or taken
and the session written in one function of the group-committed writer (FIELD-NOTES: the 0.5x
goal needs that design). Crawlers cost none: they are shown a number and nothing is stored.
There is no access log here; a DEBUG line per decision stands in for it.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import logging
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from callserver.attribution.crawlers import is_crawler
from callserver.attribution.offers import CampaignSwap, campaign_swaps
from callserver.attribution.privacy import client_ip, stored_ip
from callserver.attribution.request import MAX_BODY, BadRequest, parse_request
from callserver.attribution.sources import first_match
from callserver.attribution.visit import origin, visit_of
from callserver.config.resolve import ResolvedConfig
from callserver.config.schema.root import Attribution, Privacy
from callserver.store.columns import instant
from callserver.web.keys import CLOCK, LIVE, STORE
from callserver.web.pools import POOL_SYNC, install_pool_sync
from callserver.web.swap_record import Shown, Ticket, record_page_view

log = logging.getLogger(__name__)
MAX_USER_AGENT = 512
PREFLIGHT_MAX_AGE = "86400"


@dataclass(frozen=True)
class Prepared:
    """What requests need of one config, built once per config digest."""

    digest: str
    swaps: Mapping[str, CampaignSwap]
    origins: frozenset[str]
    privacy: Privacy
    ip_key: bytes
    limits: Attribution


class Preparer:
    """Keeps the `Prepared` of the live config; the random IP key outlives reloads."""

    def __init__(self) -> None:
        self._random_key = secrets.token_bytes(32)
        self._last: Prepared | None = None

    def __call__(self, config: ResolvedConfig) -> Prepared:
        if self._last is None or self._last.digest != config.digest:
            swaps = campaign_swaps(config)
            privacy = config.model.privacy
            env_key = os.environ.get(privacy.ip_hash_key_env or "", "")
            self._last = Prepared(
                config.digest, swaps, frozenset().union(*(s.origins for s in swaps.values())),
                privacy, env_key.encode() or self._random_key, config.model.attribution)
        return self._last


PREPARED = web.AppKey("swap_prepared", Preparer)


def add_routes(app: web.Application) -> None:
    install_pool_sync(app)
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
        matched = first_match(config.onsite_sources, visit)
        user_agent = request.headers.get("User-Agent")
        if is_crawler(user_agent):
            offer = swap.offer(matched)
            shown = Shown(asked.visitor_id or _new_id(), None, swap.shown_without_lease(offer),
                          matched, None, None)
            return _answer(swap, shown, cors)
        ip = client_ip(request.remote, request.headers.get("X-Forwarded-For"))
        ticket = Ticket(
            swap=swap, request=asked, visit=visit, matched=matched, now=request.app[CLOCK](),
            new_visitor_id=_new_id(), new_session_id=_new_id(),
            ip=stored_ip(ip, prepared.privacy.ip, prepared.ip_key),
            user_agent=user_agent[:MAX_USER_AGENT] if user_agent else None,
            limits=prepared.limits)
        store = request.app[STORE]
        await request.app[POOL_SYNC].ensure(store, config)
        shown = await store.write(record_page_view, ticket)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("swap campaign=%s session=%s source=%s number=%s", swap.name,
                      shown.session_id, shown.source, shown.number)
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

    app.router.add_post("/swap/session", swap_session)
    app.router.add_route("OPTIONS", "/swap/session", preflight)


async def _body(request: web.Request) -> bytes:
    """At most one byte past the limit is read, so an oversized body is refused cheaply."""
    if (request.content_length or 0) > MAX_BODY:
        raise BadRequest(f"body over {MAX_BODY} bytes")
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
        "capture_cookies": list(swap.capture_cookies)}
    return web.json_response(body, headers=cors)


def _error(status: int, reason: str, headers: dict[str, str]) -> web.Response:
    return web.json_response({"error": reason}, status=status, headers=headers)


class _Ids:
    """Ids in the format `request.ID_PATTERN` accepts back: 6 bytes of the time in ms, so that
    new rows land together at the end of the sessions table's indexes (random keys dirty a page
    per row, which the WAL then writes), and 10 unguessable bytes: a counter under BLAKE2b
    keyed with 32 random bytes, which costs no system call per id as `os.urandom` does."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._count = itertools.count()

    def __call__(self) -> str:
        secret = hashlib.blake2b(next(self._count).to_bytes(8, "big"), key=self._key,
                                 digest_size=10).digest()
        stamp = (time.time_ns() // 1_000_000).to_bytes(6, "big")
        return base64.urlsafe_b64encode(stamp + secret).rstrip(b"=").decode()


_new_id = _Ids()

