"""Cost snapshots on SQLite and PostgreSQL alike (`either`): a month's row holds the costs of
the last config recorded in it, and a report reads them in its one read to price past months."""

from __future__ import annotations

from datetime import timedelta

from callserver.config.schema.sources import Cost
from callserver.reports import summary
from callserver.reports.filters import CallFilter
from callserver.reports.groups import Group
from callserver.store import calls
from callserver.store.cost_snapshots import record, snapshots
from callserver.store.open import AnyStore
from tests.store.conftest import NOW
from tests.store.test_calls import _call

TV = {"tv": Cost(monthly_budget=900)}


async def test_a_month_keeps_the_last_costs_recorded_in_it(either: AnyStore) -> None:
    assert await either.read(snapshots) == {}
    await either.write(record, "2026-03", TV, NOW)
    await either.write(record, "2026-02", {"tv": Cost(per_call=1.5, monthly_budget=10)}, NOW)
    await either.write(record, "2026-03", {"radio": Cost(per_call=4)}, NOW + timedelta(days=1))
    await either.write(record, "2026-04", {}, NOW + timedelta(days=30))
    found = await either.read(snapshots)
    assert found == {"2026-02": {"tv": Cost(per_call=1.5, monthly_budget=10)},
                     "2026-03": {"radio": Cost(per_call=4)}, "2026-04": {}}
    assert list(found) == ["2026-02", "2026-03", "2026-04"]


async def test_a_report_prices_a_past_month_at_its_snapshot(either: AnyStore) -> None:
    # NOW is in March 2026; two tv calls then, one in April.
    for n, at in enumerate((NOW, NOW + timedelta(hours=1), NOW + timedelta(days=31))):
        await either.write(calls.start, _call(n, started_at=at, source="tv"))
    await either.write(record, "2026-03", TV, NOW)
    await either.write(record, "2026-04", {"tv": Cost(monthly_budget=1200)}, NOW)
    found = await either.read(summary.report, CallFilter(), Group("day"), "America/New_York",
                              {"tv": Cost(monthly_budget=3000)})
    spend = {day: totals.spend for day, totals in found.rows}
    assert spend == {"2026-03-02": 900.0, "2026-04-02": 3000.0}
