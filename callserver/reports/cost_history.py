"""Which sources' costs a month's spend uses: the ones configured during that month.

The store keeps a snapshot of the costs for each month in which a config was admitted
(`callserver.store.cost_snapshots`); months between two snapshots had the earlier one's costs,
no config having been admitted in them. The live config has been in force since the month
of the newest snapshot, so that month and every later one (the current month always among
them) follow the live config. Months before the first snapshot, from before costs were
recorded, take the first snapshot's costs: a budget changed later rewrites them no more.
Without any snapshot every month follows the live config.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from callserver.config.schema.sources import Cost

Costs = Mapping[str, Cost]


@dataclass(frozen=True)
class CostHistory:
    """The live config's costs by source, and the snapshots' by month (`YYYY-MM`)."""

    live: Costs
    snapshots: Mapping[str, Costs] = field(default_factory=dict)

    @cached_property
    def _months(self) -> list[str]:
        return sorted(self.snapshots)

    def in_month(self, month: str) -> Costs:
        """The costs by source that applied to calls of `month` (asked once per report cell)."""
        months = self._months
        if not months or month >= months[-1]:
            return self.live
        at = bisect_right(months, month)
        return self.snapshots[months[at - 1] if at else months[0]]
