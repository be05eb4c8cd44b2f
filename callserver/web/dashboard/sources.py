"""`GET /dashboard/sources`: sources, campaigns, publishers and sub ids side by side with
calls, answers, conversions and spend, from `summary.report` grouped each way under the
viewer's scope (a publisher gets no publishers table: it would hold only itself). The page
offers a time range; any filter of `GET /api/reports` works in its URL.

A publisher sees its own counts and no spend, as in `GET /api/reports`: a monthly budget
spread over every call of a source would tell how many calls other publishers sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from aiohttp import web

from callserver.config.schema.campaign import Campaign
from callserver.config.schema.root import Publisher
from callserver.config.schema.sources import Cost, Source
from callserver.reports import summary
from callserver.reports.filters import FILTER_ONCE, BadQuery, CallFilter, call_filter, collect
from callserver.reports.groups import Group
from callserver.reports.totals import Report
from callserver.web.cost_snapshots import ensure_now
from callserver.web.dashboard.access import DASHBOARD, signed_in
from callserver.web.keys import LIVE, STORE
from callserver.web.reports import visible_costs


def _read(conn: sqlite3.Connection, chosen: CallFilter, timezone: str,
          costs: Mapping[str, Cost] | None) -> dict[str, Report]:
    """Every table of the page in one read, the cost snapshots read once for all; a
    publisher's own name is no table of its own."""
    groups = _GROUPS if chosen.scope is None else _GROUPS[:2] + _GROUPS[3:]
    history = summary.cost_history(conn, costs)
    return {name: summary.grouped(conn, chosen, Group(name), timezone, history)
            for name in groups}


_GROUPS = ("source", "campaign", "publisher", "sub_id")


def _names(named: Mapping[str, Source | Campaign | Publisher]) -> dict[str, str]:
    """Display names where the config gives them; the page shows the key for the rest."""
    return {key: item.name for key, item in named.items() if item.name}


def add_routes(app: web.Application) -> None:
    async def page(request: web.Request) -> web.Response:
        principal = signed_in(request)
        config = request.app[LIVE].current
        pairs = [(name, value) for name, value in request.query.items() if value]
        try:
            chosen = call_filter(collect(pairs, FILTER_ONCE), config.model.timezone,
                                 principal.publisher)
        except BadQuery as error:
            return request.app[DASHBOARD].page(request, "sources", principal, 400,
                                               error=str(error), asked=dict(pairs),
                                               reports=None, names={})
        await ensure_now(request.app)
        reports = await request.app[STORE].read(
            _read, chosen, config.model.timezone, visible_costs(config, principal.publisher))
        model = config.model
        return request.app[DASHBOARD].page(
            request, "sources", principal, error=None, asked=dict(pairs), reports=reports,
            names={"source": _names(model.sources), "campaign": _names(model.campaigns),
                   "publisher": _names(model.publishers)})

    app.router.add_get("/dashboard/sources", page)
