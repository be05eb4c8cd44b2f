"""Store side of the aggregate report: every sum is grouped in SQL, in one read snapshot.

Three queries: the time span of the selected calls (to know which months and offsets apply),
the cells by (key, source, local month), and, when spend is shown, the months' cost snapshots
(`callserver.reports.cost_history`) and the month's volume of each source with a monthly
budget in it, counted over all its calls whatever the filters (test calls aside: a budget is
spread over customers' calls).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime

from callserver.config.schema.sources import Cost
from callserver.reports.cost_history import CostHistory
from callserver.reports.filter_sql import where
from callserver.reports.filters import CallFilter
from callserver.reports.groups import Group
from callserver.reports.local_sql import Sql, clock_over, month_span
from callserver.reports.totals import Cell, Report, fold, spread
from callserver.store.call_values import CallStatus
from callserver.store.columns import instant, parse_instant
from callserver.store.cost_snapshots import snapshots


def report(conn: sqlite3.Connection, f: CallFilter, group: Group, timezone: str,
           costs: Mapping[str, Cost] | None) -> Report:
    """`costs` by source name as configured now, or None to leave spend out."""
    return grouped(conn, f, group, timezone, cost_history(conn, costs))


def cost_history(conn: sqlite3.Connection,
                 costs: Mapping[str, Cost] | None) -> CostHistory | None:
    """The live costs with every month's snapshot, read once for a page of several reports;
    None (spend left out) without costs."""
    return None if costs is None else CostHistory(costs, snapshots(conn))


def grouped(conn: sqlite3.Connection, f: CallFilter, group: Group, timezone: str,
            history: CostHistory | None) -> Report:
    """`report` with the cost history already read (`cost_history`)."""
    sql, params = where(f)
    first, last = conn.execute(
        f"SELECT min(started_at), max(started_at) FROM calls WHERE {sql}", params).fetchone()
    if first is None:
        return fold((), group.relabel, None if history is None else spread(history, {}))
    start, end = month_span(timezone, parse_instant(first), parse_instant(last))
    clock = clock_over(timezone, start, end)
    key, key_params = group.key(clock)
    month = clock.month()
    cells = [Cell(*row) for row in conn.execute(
        f"SELECT {key}, source, {month[0]}, count(*), count(*) FILTER (WHERE status = ?), "
        f"sum(converted), coalesce(sum(talk_seconds), 0.0), count(talk_seconds), "
        f"coalesce(sum(revenue), 0.0), coalesce(sum(payout), 0.0) "
        f"FROM calls WHERE {sql} GROUP BY 1, 2, 3",
        (*key_params, *month[1], CallStatus.ANSWERED.value, *params))]
    if history is None:
        return fold(cells, group.relabel, None)
    budgeted = sorted({c.source for c in cells if c.source is not None
                       and _budget(history.in_month(c.month).get(c.source))})
    volumes = _volumes(conn, budgeted, month, start, end) if budgeted else {}
    return fold(cells, group.relabel, spread(history, volumes))


def _budget(cost: Cost | None) -> bool:
    return cost is not None and bool(cost.monthly_budget)


def _volumes(conn: sqlite3.Connection, sources: list[str], month: Sql, start: datetime,
             end: datetime) -> dict[tuple[str, str], int]:
    rows = conn.execute(
        f"SELECT source, {month[0]}, count(*) FROM calls "
        f"WHERE source IN ({', '.join('?' for _ in sources)}) "
        "AND started_at >= ? AND started_at < ? AND test = 0 GROUP BY 1, 2",
        (*month[1], *sources, instant(start), instant(end)))
    return {(source, label): count for source, label, count in rows}
