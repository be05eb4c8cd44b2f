"""When each monitored number is called next: a pure function of the monitor config, the
last result per number and the current instant.

A number never called is due at once; after a passing call it waits its interval, after a
failing one the shorter `retry_s`, so a fault is confirmed (or cleared) quickly without a
broken number being called every few seconds. Calls run one at a time, most overdue first;
the last results are those in the store, shared by every node.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from callserver.config.schema.monitor import Monitor
from callserver.probe.verdict import Spec, Verdict


@dataclass(frozen=True)
class Planned:
    spec: Spec
    interval_s: int
    retry_s: int


def plan_of(monitor: Monitor) -> tuple[Planned, ...]:
    return tuple(Planned(Spec(n.number, n.digits, n.expect_target),
                         n.interval_s or monitor.interval_s,
                         min(monitor.retry_s, n.interval_s or monitor.interval_s))
                 for n in monitor.numbers)


def unclaimed(plan: Sequence[Planned], claimed: Collection[str]) -> tuple[Planned, ...]:
    """The planned calls no node is placing now (a claimed number waits for its result)."""
    return tuple(p for p in plan if p.spec.number not in claimed)


def next_run(now: datetime, planned: Planned, last: Verdict | None) -> datetime:
    if last is None:
        return now
    wait = planned.interval_s if last.ok else planned.retry_s
    return last.observation.ended_at + timedelta(seconds=wait)


def due(now: datetime, plan: Sequence[Planned],
        last: Mapping[str, Verdict]) -> Planned | None:
    """The most overdue planned call whose time has come, or None."""
    ready = [(next_run(now, p, last.get(p.spec.number)), p.spec.number, p) for p in plan]
    ready = [entry for entry in ready if entry[0] <= now]
    return min(ready, key=lambda entry: entry[:2])[2] if ready else None


def next_wake(now: datetime, plan: Sequence[Planned], last: Mapping[str, Verdict],
              recheck: timedelta) -> datetime:
    """When to look again: the next call's time, but at least every `recheck` (a reload may
    have changed the plan)."""
    times = [next_run(now, p, last.get(p.spec.number)) for p in plan]
    return min([*times, now + recheck])
