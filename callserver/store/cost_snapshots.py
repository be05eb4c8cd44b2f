"""Each local month's source costs as configured during it, so spend of a past month stays
what it was when a budget changes later (see `callserver.reports.cost_history`).

One row per month (`YYYY-MM` in the config's timezone) holds every source's cost as JSON;
sources without a cost are left out, so a cost removed is recorded as removed. Each admitted
config upserts the row of the month current then: the last config of a month wins.
"""

import sqlite3
from collections.abc import Mapping
from datetime import datetime

from callserver.config.schema.sources import Cost
from callserver.store.columns import from_json, instant, to_json

Costs = Mapping[str, Cost]


def record(conn: sqlite3.Connection, month: str, costs: Costs, at: datetime) -> None:
    """`costs` (by source) are the ones configured in `month`, as of `at`."""
    conn.execute(
        "INSERT INTO cost_snapshots (month, costs, recorded_at) VALUES (?, ?, ?) "
        "ON CONFLICT (month) DO UPDATE "
        "SET costs = excluded.costs, recorded_at = excluded.recorded_at",
        (month, to_json({name: cost.model_dump() for name, cost in sorted(costs.items())}),
         instant(at)))


def snapshots(conn: sqlite3.Connection) -> dict[str, dict[str, Cost]]:
    """Every month's costs by source, by month in order."""
    rows = conn.execute("SELECT month, costs FROM cost_snapshots ORDER BY month")
    return {month: {name: Cost.model_validate(cost) for name, cost in from_json(text).items()}
            for month, text in rows}
