"""A call's hold on the targets it dials, for their concurrency caps on every node.

Before a Dial, the targets with a concurrency cap are held in the store, count and hold in one
write (`live_counts.hold`); those at their cap are left out of the Dial, and the hold ends with
it. A Dial that rings no target with such a cap costs no store hop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime

from callserver.config.schema.root import Target
from callserver.hours.caps import CapCheck
from callserver.routing.eligibility import target_caps
from callserver.store import live_counts
from callserver.store.open import AnyStore

Clock = Callable[[], datetime]


def concurrency_limits(targets: Mapping[str, Target]) -> dict[str, int]:
    """Each target's calls-at-once limit, for the targets that have one."""
    return {name: limit for name, target in targets.items()
            if (limit := target_caps(target).concurrency) is not None}


class TargetHolds:
    """`seen` gives the calls in progress per `target:NAME` that AMI sees on the PBX."""

    def __init__(self, store: AnyStore, call_id: str, limits: Mapping[str, int], clock: Clock,
                 seen: Callable[[], Mapping[str, int]]) -> None:
        self._store, self._call_id, self._limits = store, call_id, limits
        self._clock, self._seen = clock, seen

    @asynccontextmanager
    async def holding(self, targets: Iterable[str]) -> AsyncIterator[dict[str, CapCheck]]:
        """Hold `targets` for the block; yields those at their cap (not held), by name."""
        capped = {name: self._limits[name] for name in targets if name in self._limits}
        if not capped:
            yield {}
            return
        seen = self._seen()
        checks = await self._store.write(
            live_counts.hold, self._call_id, capped, self._clock(),
            {name: seen.get(f"target:{name}", 0) for name in capped})
        try:
            yield {check.scope.removeprefix("target:"): check
                   for check in checks if check.blocked}
        finally:
            if not all(check.blocked for check in checks):
                await asyncio.shield(self._store.write(live_counts.release, [self._call_id]))
