"""`GET /dashboard/today`: today's calls as they happen, and `GET /dashboard/today/live`, the
same live section alone, which the page's script fetches every few seconds and swaps in.

One template renders both, so an update looks exactly like a reload and the script never
builds markup from data (the server escapes, the script only moves HTML it was given).
Every figure comes from `callserver.reports` under the viewer's publisher scope, in one read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytz
from aiohttp import web

from callserver.config.schema.sources import Cost
from callserver.reports import listing, summary
from callserver.reports.filters import CallFilter
from callserver.reports.groups import Group
from callserver.reports.totals import Report, Totals
from callserver.store.call_values import Call, CallStatus
from callserver.web.auth import Principal
from callserver.web.cost_snapshots import ensure_now
from callserver.web.dashboard.access import DASHBOARD, signed_in
from callserver.web.dashboard.chart import NO_SOURCE, Chart, stacked
from callserver.web.keys import CLOCK, LIVE, STORE
from callserver.web.reports import visible_costs

RECENT = 25
POLL_MS = 2000


@dataclass(frozen=True)
class Today:
    """What the live section shows."""

    total: Totals
    in_progress: int
    by_source: Report
    chart: Chart
    recent: tuple[Call, ...]


def hours_of(day_start: datetime, day_end: datetime, zone: pytz.BaseTzInfo) -> list[str]:
    """The local hours of a day as `callserver.reports` labels them (offset included, so a
    DST day has its 23 or 25 hours)."""
    labels = []
    at = day_start
    while at < day_end:
        local = at.astimezone(zone)
        offset = local.strftime("%z")
        labels.append(f"{local:%Y-%m-%dT%H:00}{offset[:3]}:{offset[3:]}")
        at += timedelta(hours=1)
    return labels


def _read(conn: sqlite3.Connection, chosen: CallFilter, timezone: str,
          costs: Mapping[str, Cost] | None, hours: list[str]) -> Today:
    by_source = summary.report(conn, chosen, Group("source"), timezone, costs)
    busy = summary.report(conn, replace(chosen, statuses=(CallStatus.IN_PROGRESS.value,)),
                          Group("campaign"), timezone, None)
    counts: dict[str, list[int]] = {}
    left = _hourly(summary.report(conn, chosen, Group("hour"), timezone, None), hours)
    for source, _ in by_source.rows:
        if source is not None:
            counts[source] = _hourly(summary.report(
                conn, replace(chosen, sources=(source,)), Group("hour"), timezone, None), hours)
            left = [every - one for every, one in zip(left, counts[source], strict=True)]
    if any(left):
        counts[NO_SOURCE] = left
    recent = listing.page(conn, chosen, None, RECENT).calls
    return Today(by_source.total, busy.total.calls, by_source,
                 stacked([label[11:13] for label in hours], counts), recent)


def _hourly(report: Report, hours: list[str]) -> list[int]:
    found = {key: totals.calls for key, totals in report.rows}
    return [found.get(label, 0) for label in hours]


async def _today(request: web.Request) -> tuple[Principal, dict[str, Any]]:
    principal = signed_in(request)
    config, now = request.app[LIVE].current, request.app[CLOCK]()
    zone = pytz.timezone(config.model.timezone)
    local = now.astimezone(zone)
    start = zone.localize(datetime(local.year, local.month, local.day)).astimezone(UTC)
    end = zone.localize(datetime.combine(local.date() + timedelta(days=1),
                                         datetime.min.time())).astimezone(UTC)
    chosen = CallFilter(scope=principal.publisher, since=start, until=end)
    await ensure_now(request.app)
    today = await request.app[STORE].read(
        _read, chosen, config.model.timezone, visible_costs(config, principal.publisher),
        hours_of(start, end, zone))
    return principal, {"today": today, "day": local.date().isoformat(), "now": now,
                       "poll_ms": POLL_MS}


def add_routes(app: web.Application) -> None:
    async def page(request: web.Request) -> web.Response:
        principal, context = await _today(request)
        return request.app[DASHBOARD].page(request, "today", principal, **context)

    async def live(request: web.Request) -> web.Response:
        principal, context = await _today(request)
        return request.app[DASHBOARD].page(request, "today_live", principal, **context)

    app.router.add_get("/dashboard/today", page)
    app.router.add_get("/dashboard/today/live", live)
