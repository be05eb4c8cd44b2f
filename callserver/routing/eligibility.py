"""Which listed targets may ring now: open by their schedule, under their caps, not full."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from callserver.config.schema.root import Target
from callserver.config.schema.routing import TargetRef
from callserver.hours.caps import CapCheck, Caps, Counters, check_caps, first_blocked
from callserver.hours.schedule import Schedule, is_open
from callserver.routing.dial import dial_string


@dataclass(frozen=True)
class Candidate:
    """A target that may ring, at `position` in the list it was configured in."""

    ref: TargetRef
    position: int
    dial: str

    @property
    def name(self) -> str:
        return self.ref.target


@dataclass(frozen=True)
class Skip:
    """A listed target left out of the plan, e.g. "capped: day 100/100"."""

    target: str
    reason: str


@dataclass(frozen=True)
class Screening:
    """`notes` mention targets listed more than once: they ring once, at their first place."""

    eligible: tuple[Candidate, ...]
    skipped: tuple[Skip, ...]
    checks: tuple[CapCheck, ...]
    notes: tuple[str, ...]


def screen(refs: Sequence[TargetRef], targets: Mapping[str, Target],
           schedules: Mapping[str, Schedule], counters: Mapping[str, Counters],
           now: datetime, trunk: str | None) -> Screening:
    """Split `refs` into the targets that may ring and those skipped, each with its reason."""
    eligible: list[Candidate] = []
    skipped: list[Skip] = []
    checks: list[CapCheck] = []
    notes: list[str] = []
    seen: set[str] = set()
    for position, ref in enumerate(refs):
        name = ref.target
        if name in seen:
            notes.append(f"{name} is listed more than once; only its first entry counts")
            continue
        seen.add(name)
        target = _lookup(targets, name)
        closed = _closed(name, target, schedules, now)
        if closed is not None:
            skipped.append(Skip(name, closed))
            continue
        consulted = check_caps(f"target:{name}", target_caps(target),
                               counters.get(name, Counters()))
        checks.extend(consulted)
        blocked = first_blocked(consulted)
        if blocked is not None:
            why = "busy" if blocked.period == "concurrency" else "capped"
            skipped.append(Skip(name, f"{why}: {blocked.period} {blocked.count}/{blocked.limit}"))
            continue
        eligible.append(Candidate(ref, position, dial_string(name, target, trunk)))
    return Screening(tuple(eligible), tuple(skipped), tuple(checks), tuple(notes))


def target_caps(target: Target) -> Caps:
    """A target's caps; `concurrency:` and `caps.concurrency` both limit, the lower wins."""
    limits = [n for n in (target.concurrency, target.caps.concurrency) if n is not None]
    return Caps(hour=target.caps.hour, day=target.caps.day, month=target.caps.month,
                concurrency=min(limits) if limits else None, blocks=tuple(target.caps.blocks))


def _lookup(targets: Mapping[str, Target], name: str) -> Target:
    if name not in targets:
        raise ValueError(f"routing names target {name!r}, which is not configured")
    return targets[name]


def _closed(name: str, target: Target, schedules: Mapping[str, Schedule],
            now: datetime) -> str | None:
    if target.schedule is None:
        return None
    if target.schedule not in schedules:
        raise ValueError(f"target {name!r} names schedule {target.schedule!r}, "
                         "which is not configured")
    state = is_open(schedules[target.schedule], now)
    if state.open:
        return None
    return f"closed: {target.schedule} {state.reason.removeprefix('closed: ')}"
