"""`GET /dashboard/calls`: the call log, filtered and paged as `GET /api/calls` is (the same
parameters, checked by the same code), and `GET /dashboard/calls/{id}`: one call with the web visit
behind it and its decision trace.

The filter form submits every field, empty ones too; an empty field means "any", so those are
dropped before the API's checks, which refuse an empty name. A publisher's scope is ANDed to
whatever the form asks, so a publisher naming someone else's campaign sees nothing, and
another publisher's call id is "no such call", as the API says; a publisher sees the visit
without the visitor's private fields, as the API shows it (`callserver.reports.visit_fields`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from callserver.config.resolve import ResolvedConfig
from callserver.reports import listing
from callserver.reports.cursor import decode, encode
from callserver.reports.filters import FILTER_ONCE, BadQuery, call_filter, collect
from callserver.reports.records import call_record
from callserver.reports.visit_fields import visit_columns
from callserver.store.call_values import CallStatus
from callserver.web.dashboard.access import DASHBOARD, refusal, signed_in
from callserver.web.keys import LIVE, STORE

PAGE = 50
# What the trace shows first: why the call went where it went.
TRACE_FIRST = ("outcome", "reason", "hours", "caps", "ivr", "plan", "attempts")


def choices(config: ResolvedConfig, scope: str | None) -> dict[str, list[str]]:
    """The filter form's options: everything for the admin, a publisher's own numbers'
    campaigns and sources for a publisher (other publishers' names are not theirs to see)."""
    if scope is None:
        model = config.model
        campaigns, sources = sorted(model.campaigns), sorted(model.sources)
        publishers = sorted(model.publishers)
    else:
        views = [v for v in config.numbers.values() if v.publisher == scope]
        campaigns = sorted({v.campaign for v in views})
        sources = sorted({v.source for v in views if v.source is not None})
        publishers = []
    return {"campaign": campaigns, "source": sources, "publisher": publishers,
            "status": [status.value for status in CallStatus]}


def trace_sections(trace: Any) -> list[tuple[str, Any]]:
    """The trace's top-level entries, the decisions first; a trace that is not an object is
    shown whole."""
    if not isinstance(trace, dict):
        return [] if trace is None else [("trace", trace)]
    first = [key for key in TRACE_FIRST if key in trace]
    return [(key, trace[key]) for key in first + sorted(set(trace) - set(first))]


def add_routes(app: web.Application) -> None:
    async def log(request: web.Request) -> web.Response:
        principal = signed_in(request)
        config = request.app[LIVE].current
        pairs = [(name, value) for name, value in request.query.items() if value]
        kept = [(name, value) for name, value in pairs if name != "cursor"]
        context: dict[str, Any] = {"asked": dict(reversed(kept)), "calls": (), "next": None,
                                   "choices": choices(config, principal.publisher),
                                   "error": None, "paged": "cursor" in request.query}
        try:
            params = collect(pairs, FILTER_ONCE | {"cursor"})
            chosen = call_filter(params, config.model.timezone, principal.publisher)
            after = decode(params["cursor"][0]) if "cursor" in params else None
        except BadQuery as error:
            context["error"] = str(error)
            return request.app[DASHBOARD].page(request, "calls", principal, 400, **context)
        found = await request.app[STORE].read(listing.page, chosen, after, PAGE)
        context["calls"] = found.calls
        if found.next is not None:
            context["next"] = "?" + urlencode([*kept, ("cursor", encode(found.next))])
        return request.app[DASHBOARD].page(request, "calls", principal, **context)

    async def one(request: web.Request) -> web.Response:
        principal = signed_in(request)
        found = await request.app[STORE].read(listing.find, request.match_info["id"],
                                              principal.publisher)
        if found is None:
            raise refusal(request, principal, web.HTTPNotFound, "No such call.")
        record = call_record(found, principal.is_admin)
        visit = {name: record.pop(name) for name in visit_columns(principal.is_admin)}
        return request.app[DASHBOARD].page(
            request, "call", principal, call=found.call, record=record,
            visit=visit if found.visit is not None else None,
            trace=trace_sections(record.pop("trace")))

    app.router.add_get("/dashboard/calls", log)
    app.router.add_get("/dashboard/calls/{id}", one)
