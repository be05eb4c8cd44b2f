"""Spend arithmetic over the months' cost snapshots: a past month takes the costs configured
in it (or, without a snapshot of its own, in the month before that had one), the newest
snapshot's month onwards (the current month among them) follows the live config, and months
from before the first snapshot keep that snapshot's costs."""

from __future__ import annotations

from callserver.config.schema.sources import Cost
from callserver.reports.cost_history import CostHistory
from callserver.reports.totals import Cell, fold, spread

FEBRUARY = {"tv": Cost(monthly_budget=900), "google-ads": Cost(per_call=10)}
APRIL = {"tv": Cost(monthly_budget=1200)}
LIVE = {"tv": Cost(monthly_budget=1500), "google-ads": Cost(per_call=20)}
HISTORY = CostHistory(LIVE, {"2026-02": FEBRUARY, "2026-04": APRIL})


def _cell(source: str, month: str, calls: int) -> Cell:
    return Cell(month, source, month, calls, calls, 0, 0.0, 0)


def test_a_past_month_with_a_snapshot_takes_its_costs() -> None:
    assert HISTORY.in_month("2026-02") == FEBRUARY


def test_a_past_month_without_one_takes_the_snapshot_before_it() -> None:
    assert HISTORY.in_month("2026-03") == FEBRUARY


def test_months_before_the_first_snapshot_take_the_first() -> None:
    assert HISTORY.in_month("2025-12") == FEBRUARY


def test_the_newest_snapshots_month_and_later_follow_the_live_config() -> None:
    assert HISTORY.in_month("2026-04") == LIVE
    assert HISTORY.in_month("2026-05") == LIVE


def test_without_snapshots_every_month_follows_the_live_config() -> None:
    assert CostHistory(LIVE).in_month("2020-01") == LIVE


def test_each_months_budget_and_per_call_come_from_its_own_costs() -> None:
    volumes = {("tv", "2026-02"): 3, ("tv", "2026-03"): 2, ("tv", "2026-05"): 5}
    unit = spread(HISTORY, volumes)
    assert unit("tv", "2026-02") == 300.0
    assert unit("tv", "2026-03") == 450.0  # February's budget still in force in March
    assert unit("tv", "2026-05") == 300.0  # the live 1500 over five calls
    assert unit("google-ads", "2026-03") == 10.0
    assert unit("google-ads", "2026-05") == 20.0


def test_a_source_without_a_cost_in_a_month_costs_nothing_then() -> None:
    unit = spread(CostHistory(LIVE, {"2026-01": APRIL, "2026-06": {}}), {})
    assert unit("google-ads", "2026-02") == 0.0  # April's costs name no google-ads
    assert unit("google-ads", "2026-07") == 20.0


def test_a_report_sums_each_months_spend_at_its_own_costs() -> None:
    cells = [_cell("tv", "2026-02", 3), _cell("tv", "2026-05", 5),
             _cell("google-ads", "2026-02", 1), _cell("google-ads", "2026-05", 2)]
    volumes = {("tv", "2026-02"): 3, ("tv", "2026-05"): 5}
    found = fold(cells, lambda key: key, spread(HISTORY, volumes))
    spend = {key: totals.spend for key, totals in found.rows}
    assert spend == {"2026-02": 910.0, "2026-05": 1540.0}
    assert found.total.spend == 2450.0
