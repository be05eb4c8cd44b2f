"""`GET /api/numbers`: the tracking numbers, as `callserver numbers list` shows them.

The admin sees the whole inventory (every number ever tracked, released ones with their
cooling-off and stray calls). A publisher sees the numbers the live config gives it now, with
the campaign, source and sub_id each stands for (seed 002: a publisher's scoped view of its own
numbers); a number taken from it stops showing at once, and nothing of other publishers or of
the inventory's history does. Filters (`numbers.wanted`): `campaign`, and, each repeatable,
`state`, `kind`, `country`, `region` (state or province) and `prefix`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.numbers.gate import cooling_off
from callserver.numbers.listing import listing
from callserver.numbers.plan import ACTIVE
from callserver.numbers.wanted import Wanted
from callserver.store import inventory
from callserver.web.auth import authenticate
from callserver.web.keys import CLOCK, LIVE, SECRETS, STORE

_PARAMS = ("campaign", "state", "kind", "country", "region", "prefix")


async def list_numbers(request: web.Request) -> web.Response:
    principal = authenticate(request, request.app[SECRETS])
    config = request.app[LIVE].current
    unknown = sorted(set(request.query) - set(_PARAMS))
    campaigns = request.query.getall("campaign", [])
    if unknown:
        return _error(f"{unknown[0]}: unknown parameter; use {', '.join(_PARAMS)}")
    if len(campaigns) > 1:
        return _error("campaign: give it once")
    asked = {name: request.query.getall(name, []) for name in _PARAMS[1:]}
    try:
        wanted = Wanted.of(states=asked["state"], campaign=campaigns[0] if campaigns else None,
                           kinds=asked["kind"], countries=asked["country"],
                           regions=asked["region"], prefixes=asked["prefix"])
    except ValueError as exc:
        return _error(str(exc))
    if principal.publisher is not None:
        return web.json_response({"numbers": _publishers(config, principal.publisher,
                                                         wanted)})
    found, stray = await request.app[STORE].read(inventory.with_stray_calls)
    return web.json_response({"numbers": listing(
        found.values(), stray, cooling_off(config), request.app[CLOCK](), wanted)})


def _publishers(config: ResolvedConfig, publisher: str, wanted: Wanted) -> list[dict[str, Any]]:
    """Only active numbers are a publisher's: a released one is no one's until it is reused."""
    mine = (_public(view) for view in sorted(config.numbers.values(), key=lambda v: v.number)
            if view.publisher == publisher)
    return [record for record in mine if wanted.admits(record)]


def _public(view: NumberView) -> dict[str, Any]:
    return {"number": view.number, "kind": view.kind, "country": view.country,
            "region": view.region or None, "campaign": view.campaign, "source": view.source,
            "sub_id": view.sub_id, "state": ACTIVE}


def _error(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=400)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/numbers", list_numbers)
