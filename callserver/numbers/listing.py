"""The inventory as people read it: one record per number with its state, for
`callserver numbers list`, `GET /api/numbers` and what a release reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from callserver.numbers.plan import Entry, free_at, state
from callserver.numbers.wanted import EVERY, Wanted
from callserver.store.columns import instant, optional_instant


def record(entry: Entry, cooling: timedelta, now: datetime, stray_calls: int = 0
           ) -> dict[str, Any]:
    return {
        "number": entry.number, "kind": entry.kind, "country": entry.country,
        "region": entry.region or None, "campaign": entry.campaign, "pool": entry.pool,
        "role": entry.role, "state": state(entry, cooling, now), "listed": entry.listed,
        "first_seen": instant(entry.first_seen),
        "released_at": optional_instant(entry.released_at),
        "free_at": optional_instant(free_at(entry, cooling)), "stray_calls": stray_calls,
    }


def listing(found: Iterable[Entry], stray: Mapping[str, int], cooling: timedelta,
            now: datetime, wanted: Wanted = EVERY) -> list[dict[str, Any]]:
    """The records of `found` that `wanted` admits (all by default)."""
    records = (record(e, cooling, now, stray.get(e.number, 0)) for e in found)
    return [r for r in records if wanted.admits(r)]
