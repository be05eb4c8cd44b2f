"""`GET /dashboard/sources`: sources and campaigns side by side with calls, answers,
conversions and spend, from `summary.report` grouped each way under the viewer's scope. The
page offers a time range; any filter of `GET /api/reports` works in its URL.

A publisher sees its own counts and no spend, as in `GET /api/reports`: a monthly budget
spread over every call of a source would tell how many calls other publishers sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from aiohttp import web

from callserver.config.schema.campaign import Campaign
from callserver.config.schema.root import Cost, Source
from callserver.reports import summary
from callserver.reports.filters import FILTER_ONCE, BadQuery, CallFilter, call_filter, collect
from callserver.reports.groups import Group
from callserver.reports.totals import Report
from callserver.web.dashboard.access import DASHBOARD, signed_in
from callserver.web.keys import LIVE, STORE
from callserver.web.reports import visible_costs


def _read(conn: sqlite3.Connection, chosen: CallFilter, timezone: str,
          costs: Mapping[str, Cost] | None) -> tuple[Report, Report]:
    return (summary.report(conn, chosen, Group("source"), timezone, costs),
            summary.report(conn, chosen, Group("campaign"), timezone, costs))


def _names(named: Mapping[str, Source | Campaign]) -> dict[str, str]:
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
                                               sources=None, campaigns=None)
        sources, campaigns = await request.app[STORE].read(
            _read, chosen, config.model.timezone, visible_costs(config, principal.publisher))
        return request.app[DASHBOARD].page(
            request, "sources", principal, error=None, asked=dict(pairs), sources=sources,
            campaigns=campaigns, source_names=_names(config.model.sources),
            campaign_names=_names(config.model.campaigns))

    app.router.add_get("/dashboard/sources", page)
