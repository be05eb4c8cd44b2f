"""Report arithmetic: cells SQL grouped by (key, source, month) summed into rows, with spend,
revenue, payout and margin.

Spend needs the source and the local month of each call (see the package docstring for how a
monthly budget is spread), so SQL groups by those too and the cells fold into rows here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from callserver.reports.cost_history import CostHistory

# The cost of one call of a source in a month.
UnitCost = Callable[[str | None, str], float]


@dataclass(frozen=True)
class Cell:
    """Calls of one key, one source and one local month (`YYYY-MM`)."""

    key: str | None
    source: str | None
    month: str
    calls: int
    answered: int
    converted: int
    talk_seconds: float
    talked: int
    revenue: float = 0.0
    payout: float = 0.0


@dataclass(frozen=True)
class Totals:
    """Sums over some calls; `talked` counts the calls whose talk time is known. `spend` and
    `revenue` are None where the network's money is not shown (a publisher's view)."""

    calls: int = 0
    answered: int = 0
    converted: int = 0
    talk_seconds: float = 0.0
    talked: int = 0
    spend: float | None = 0.0
    revenue: float | None = 0.0
    payout: float = 0.0

    def add(self, cell: Cell, unit: float | None) -> Totals:
        spend = None if unit is None or self.spend is None else self.spend + unit * cell.calls
        revenue = None if self.revenue is None else self.revenue + cell.revenue
        return Totals(self.calls + cell.calls, self.answered + cell.answered,
                      self.converted + cell.converted, self.talk_seconds + cell.talk_seconds,
                      self.talked + cell.talked, spend, revenue, self.payout + cell.payout)

    def record(self) -> dict[str, Any]:
        """The row as the API shows it, rounded for people (cents, seconds to a tenth)."""
        spend, revenue = self.spend, self.revenue
        return {
            "calls": self.calls,
            "answered": self.answered,
            "converted": self.converted,
            "conversion_rate": round(self.converted / self.calls, 4) if self.calls else None,
            "avg_talk_seconds": round(self.talk_seconds / self.talked, 1) if self.talked else None,
            "spend": None if spend is None else round(spend, 2),
            "cost_per_call": None if spend is None or not self.calls
            else round(spend / self.calls, 2),
            "cost_per_converted": None if spend is None or not self.converted
            else round(spend / self.converted, 2),
            "revenue": None if revenue is None else round(revenue, 2),
            "payout": round(self.payout, 2),
            "margin": None if revenue is None or spend is None
            else round(revenue - self.payout - spend, 2),
        }


def spread(history: CostHistory, volumes: Mapping[tuple[str, str], int]) -> UnitCost:
    """Unit costs from each source's cost in the month (see `cost_history`) and its calls per
    month (all calls, unfiltered)."""
    def unit(source: str | None, month: str) -> float:
        costs = history.in_month(month)
        if source is None or source not in costs:
            return 0.0
        cost = costs[source]
        volume = volumes.get((source, month), 0)
        budget = cost.monthly_budget / volume if cost.monthly_budget and volume else 0.0
        return (cost.per_call or 0.0) + budget

    return unit


@dataclass(frozen=True)
class Report:
    """Rows by key, sorted with the calls that have no key last, and their grand total."""

    rows: tuple[tuple[str | None, Totals], ...]
    total: Totals


def fold(cells: Iterable[Cell], relabel: Callable[[str | None], str | None],
         unit: UnitCost | None) -> Report:
    """Cells summed by relabelled key; without a `unit`, spend, revenue and margin are not
    shown (payout is: a publisher sees what it is owed)."""
    shown = 0.0 if unit else None
    empty = Totals(spend=shown, revenue=shown)
    rows: dict[str | None, Totals] = {}
    total = empty
    for cell in cells:
        key = relabel(cell.key)
        cost = unit(cell.source, cell.month) if unit else None
        rows[key] = rows.get(key, empty).add(cell, cost)
        total = total.add(cell, cost)
    ordered = sorted(rows.items(), key=lambda item: (item[0] is None, item[0] or ""))
    return Report(tuple(ordered), total)
