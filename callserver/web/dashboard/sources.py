"""`GET /dashboard/sources`: sources, campaigns, publishers and sub ids side by side with
calls, answers, conversions and spend, from `summary.report` grouped each way under the
viewer's scope (a publisher gets no publishers table: it would hold only itself), and, asked
for by `by_tag`, one by a tag's values. The page offers a time range and a tag; any filter of
`GET /api/reports` works in its URL.

A publisher sees its own counts and no spend, as in `GET /api/reports`: a monthly budget
spread over every call of a source would tell how many calls other publishers sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from aiohttp import web

from callserver.config.resolve import ResolvedConfig
from callserver.config.schema.campaign import Campaign
from callserver.config.schema.root import Publisher
from callserver.config.schema.sources import Cost, Source
from callserver.reports import summary
from callserver.reports.filters import (
    FILTER_ONCE,
    TAG_KEY,
    BadQuery,
    CallFilter,
    call_filter,
    collect,
)
from callserver.reports.groups import Group
from callserver.reports.totals import Report
from callserver.web.cost_snapshots import ensure_now
from callserver.web.dashboard.access import DASHBOARD, signed_in
from callserver.web.keys import LIVE, STORE
from callserver.web.reports import visible_costs


def _read(conn: sqlite3.Connection, chosen: CallFilter, timezone: str,
          costs: Mapping[str, Cost] | None, by_tag: str | None) -> dict[str, Report]:
    """Every table of the page in one read, the cost snapshots read once for all; a
    publisher's own name is no table of its own. `by_tag` adds one by that tag's values."""
    names = _GROUPS if chosen.scope is None else _GROUPS[:2] + _GROUPS[3:]
    groups = [Group(name) for name in names] + ([Group(f"tag:{by_tag}", by_tag)] if by_tag
                                                else [])
    history = summary.cost_history(conn, costs)
    return {group.name: summary.grouped(conn, chosen, group, timezone, history)
            for group in groups}


def _by_tag(asked: Mapping[str, str]) -> str | None:
    """Seed 002's segments ("compare all calls where channel = tv vs channel = radio")."""
    key = asked.get("by_tag")
    if key is not None and not TAG_KEY.match(key):
        raise BadQuery("by_tag: expected a tag name of letters, digits and '_'")
    return key


def _tag_names(config: ResolvedConfig, scope: str | None) -> list[str]:
    """The tag names the file gives numbers, pools and sources, offered in the page's form; a
    publisher is offered its own numbers' and their sources' only, not other publishers'."""
    views = [v for v in config.numbers.values() if scope is None or v.publisher == scope]
    sources = [config.model.sources[name] for name in config.model.sources
               if scope is None or any(v.source == name for v in views)]
    return sorted({key for view in views for key in view.tags}
                  | {key for source in sources for key in source.tags})


_GROUPS = ("source", "campaign", "publisher", "sub_id")


def _names(named: Mapping[str, Source | Campaign | Publisher]) -> dict[str, str]:
    """Display names where the config gives them; the page shows the key for the rest."""
    return {key: item.name for key, item in named.items() if item.name}


def add_routes(app: web.Application) -> None:
    async def page(request: web.Request) -> web.Response:
        principal = signed_in(request)
        config = request.app[LIVE].current
        pairs = [(name, value) for name, value in request.query.items() if value]
        tag_names = _tag_names(config, principal.publisher)
        try:
            by_tag = _by_tag(dict(pairs))
            chosen = call_filter(collect([p for p in pairs if p[0] != "by_tag"], FILTER_ONCE),
                                 config.model.timezone, principal.publisher)
        except BadQuery as error:
            return request.app[DASHBOARD].page(request, "sources", principal, 400,
                                               error=str(error), asked=dict(pairs),
                                               reports=None, names={}, by_tag=None,
                                               tag_names=tag_names)
        await ensure_now(request.app)
        reports = await request.app[STORE].read(
            _read, chosen, config.model.timezone, visible_costs(config, principal.publisher),
            by_tag)
        model = config.model
        return request.app[DASHBOARD].page(
            request, "sources", principal, error=None, asked=dict(pairs), reports=reports,
            names={"source": _names(model.sources), "campaign": _names(model.campaigns),
                   "publisher": _names(model.publishers)}, by_tag=by_tag, tag_names=tag_names)

    app.router.add_get("/dashboard/sources", page)
