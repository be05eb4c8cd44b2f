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
from multidict import MultiMapping

from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.numbers.gate import cooling_off
from callserver.numbers.listing import listing
from callserver.numbers.plan import ACTIVE
from callserver.numbers.wanted import Wanted
from callserver.store import inventory
from callserver.web.auth import Principal, authenticate
from callserver.web.keys import CLOCK, LIVE, SECRETS, STORE

_PARAMS = ("campaign", "state", "kind", "country", "region", "prefix")


async def list_numbers(request: web.Request) -> web.Response:
    principal = authenticate(request, request.app[SECRETS])
    try:
        wanted = wanted_by(request.query)
    except ValueError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return web.json_response({"numbers": await numbers_seen(request.app, principal, wanted)})


def wanted_by(query: MultiMapping[str]) -> Wanted:
    """The filters a query string asks for; ValueError naming the first thing wrong."""
    unknown = sorted(set(query) - set(_PARAMS))
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown parameter; use {', '.join(_PARAMS)}")
    campaigns = query.getall("campaign", [])
    if len(campaigns) > 1:
        raise ValueError("campaign: give it once")
    asked = {name: query.getall(name, []) for name in _PARAMS[1:]}
    return Wanted.of(states=asked["state"], campaign=campaigns[0] if campaigns else None,
                     kinds=asked["kind"], countries=asked["country"], regions=asked["region"],
                     prefixes=asked["prefix"])


async def numbers_seen(app: web.Application, principal: Principal,
                       wanted: Wanted) -> list[dict[str, Any]]:
    """The numbers `wanted` admits that `principal` may see: the whole inventory for the
    admin, a publisher's own numbers now (the API's answer and the dashboard's page)."""
    config = app[LIVE].current
    if principal.publisher is not None:
        return _publishers(config, principal.publisher, wanted)
    found, stray = await app[STORE].read(inventory.with_stray_calls)
    return listing(found.values(), stray, cooling_off(config), app[CLOCK](), wanted)


def _publishers(config: ResolvedConfig, publisher: str, wanted: Wanted) -> list[dict[str, Any]]:
    """Only active numbers are a publisher's: a released one is no one's until it is reused."""
    mine = (_public(view) for view in sorted(config.numbers.values(), key=lambda v: v.number)
            if view.publisher == publisher)
    return [record for record in mine if wanted.admits(record)]


def _public(view: NumberView) -> dict[str, Any]:
    return {"number": view.number, "kind": view.kind, "country": view.country,
            "region": view.region or None, "campaign": view.campaign, "source": view.source,
            "sub_id": view.sub_id, "state": ACTIVE}


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/numbers", list_numbers)
