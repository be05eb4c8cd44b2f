"""Reporting API: `GET /api/calls`, `GET /api/calls/{id}` and `GET /api/reports`.

Every route takes the admin's or a publisher's token; a publisher's token is confined to its
own calls in every answer (another publisher's call id is 404, as if it did not exist, so ids
do not leak), and sees each call's web visit without the visitor's address, user agent and
cookies (`callserver.reports.visit_fields`), and its payout without the network's revenue,
spend or margin. Parameters are checked before any query runs:
a bad one is a 400 with a reason.
Lists and reports answer JSON, or CSV with `format=csv` or `Accept: text/csv`; a CSV list is
every matching call (from `cursor` on), streamed a page at a time (csv_answers.py). Test calls (from
`monitor.caller_id`) are in lists and reports only with `test=include` or `test=only`; one
asked for by its id is shown, as the probe's record of that call.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping

from aiohttp import web

from callserver.config.resolve import ResolvedConfig
from callserver.config.schema.sources import Cost
from callserver.reports import listing, summary
from callserver.reports.cursor import Position, decode, encode
from callserver.reports.filters import FILTER_ONCE, BadQuery, CallFilter, call_filter, collect
from callserver.reports.groups import parse_group
from callserver.reports.records import (
    REPORT_COLUMNS,
    call_columns,
    call_record,
    call_row,
    report_record,
    report_row,
)
from callserver.store.open import AnyStore
from callserver.web.auth import authenticate
from callserver.web.cost_snapshots import configured_costs, ensure_now, install_cost_snapshots
from callserver.web.csv_answers import one_chunk, stream_csv, wants_csv
from callserver.web.keys import LIVE, SECRETS, STORE

LIST_ONCE = FILTER_ONCE | {"cursor", "limit", "format"}
REPORT_ONCE = FILTER_ONCE | {"group", "format"}
DEFAULT_LIMIT = 100
DEFAULT_GROUP = "campaign"


def add_routes(app: web.Application) -> None:
    install_cost_snapshots(app)

    async def list_calls(request: web.Request) -> web.StreamResponse:
        scope, config = _scope(request), request.app[LIVE].current
        try:
            params = collect(request.query.items(), LIST_ONCE)
            chosen = call_filter(params, config.model.timezone, scope)
            after = decode(params["cursor"][0]) if "cursor" in params else None
            limit = _limit(params)
            as_csv = wants_csv(request, params)
        except BadQuery as error:
            raise _bad_request(str(error)) from None
        store, admin = request.app[STORE], scope is None
        if as_csv:
            return await stream_csv(request, "calls", call_columns(admin),
                                    _call_rows(store, chosen, after))
        found = await store.read(listing.page, chosen, after, limit)
        return web.json_response({"calls": [call_record(each, admin) for each in found.visits],
                                  "next": None if found.next is None else encode(found.next)})

    async def one_call(request: web.Request) -> web.Response:
        scope = _scope(request)
        if request.query:
            raise _bad_request(f"{next(iter(request.query))}: unknown parameter")
        found = await request.app[STORE].read(listing.find, request.match_info["id"], scope)
        if found is None:
            raise web.HTTPNotFound(text=json.dumps({"error": "no such call"}),
                                   content_type="application/json")
        return web.json_response(call_record(found, scope is None))

    async def report(request: web.Request) -> web.StreamResponse:
        scope, config = _scope(request), request.app[LIVE].current
        try:
            params = collect(request.query.items(), REPORT_ONCE)
            chosen = call_filter(params, config.model.timezone, scope)
            group = parse_group(params.get("group", [DEFAULT_GROUP])[0])
            as_csv = wants_csv(request, params)
        except BadQuery as error:
            raise _bad_request(str(error)) from None
        await ensure_now(request.app)
        found = await request.app[STORE].read(
            summary.report, chosen, group, config.model.timezone, visible_costs(config, scope))
        if as_csv:
            return await stream_csv(request, "report", (group.name, *REPORT_COLUMNS),
                                    one_chunk([report_row(k, t) for k, t in found.rows]))
        return web.json_response({
            "group": group.name, "timezone": config.model.timezone,
            "rows": [report_record(key, totals) for key, totals in found.rows],
            "total": found.total.record()})

    app.router.add_get("/api/calls", list_calls)
    app.router.add_get("/api/calls/{id}", one_call)
    app.router.add_get("/api/reports", report)


def _scope(request: web.Request) -> str | None:
    """The publisher the token is confined to; None for the admin."""
    return authenticate(request, request.app[SECRETS]).publisher


def visible_costs(config: ResolvedConfig, scope: str | None) -> dict[str, Cost] | None:
    """Sources' costs for the admin; None for a publisher, who sees no spend, revenue or
    margin (see `callserver.reports`). Shared with the dashboard so both edges show them
    alike."""
    return None if scope is not None else configured_costs(config)


def _limit(params: Mapping[str, list[str]]) -> int:
    text = params.get("limit", [str(DEFAULT_LIMIT)])[0]
    if not (text.isascii() and text.isdigit() and len(text) <= 4
            and 1 <= int(text) <= listing.PAGE_MAX):
        raise BadQuery(f"limit: expected a whole number from 1 to {listing.PAGE_MAX}")
    return int(text)


async def _call_rows(store: AnyStore, chosen: CallFilter,
                     after: Position | None) -> AsyncIterator[list[list[str]]]:
    while True:
        found = await store.read(listing.page, chosen, after, listing.PAGE_MAX)
        yield [call_row(each, chosen.scope is None) for each in found.visits]
        if found.next is None:
            return
        after = found.next


def _bad_request(reason: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": reason}),
                              content_type="application/json")
