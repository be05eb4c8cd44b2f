"""The inventory's rules, as a pure function of the last sync, the config being loaded, the
cooling-off period and the instant (seed 002: a number is released, held out of circulation
while stray calls from old ads die down, and only then reused).

- A number the config lists for the first time is active.
- A number that leaves the config is released, not forgotten.
- A released number that comes back to the campaign it left is active again; to another
  campaign only once its cooling-off is over (before that the config is refused).
- A number released on command while still listed stays out of service where it is: the
  admin deletes its line (callserver never rewrites the file), and listing it again later
  puts it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

ACTIVE, RELEASED, AVAILABLE = "active", "released", "available"
STATES = (ACTIVE, RELEASED, AVAILABLE)


@dataclass(frozen=True)
class Listed:
    """A number as the config being loaded lists it."""

    number: str
    kind: str
    country: str
    region: str
    campaign: str
    pool: str | None
    role: str  # static | pool | fallback


@dataclass(frozen=True)
class Entry(Listed):
    """A number of the inventory, where it was last in service; `listed` means the last config
    synced lists it."""

    first_seen: datetime
    released_at: datetime | None = None
    listed: bool = True


@dataclass(frozen=True)
class Conflict:
    """A number still cooling off that the config puts into another campaign."""

    number: str
    campaign: str  # where the config puts it
    former: str  # the campaign it was released from
    released_at: datetime
    free_at: datetime


@dataclass(frozen=True)
class SyncPlan:
    changed: tuple[Entry, ...]  # rows to write
    conflicts: tuple[Conflict, ...]
    out_of_service: frozenset[str]  # listed, but released: never shown, leased or routed
    released: tuple[str, ...]  # released by this sync, having left the config


def free_at(entry: Entry, cooling: timedelta) -> datetime | None:
    """When a released number may join another campaign; None while it is active."""
    return None if entry.released_at is None else entry.released_at + cooling


def state(entry: Entry, cooling: timedelta, now: datetime) -> str:
    free = free_at(entry, cooling)
    if free is None:
        return ACTIVE
    return RELEASED if now < free else AVAILABLE


def plan_sync(old: Mapping[str, Entry], listed: Iterable[Listed], cooling: timedelta,
              now: datetime) -> SyncPlan:
    """What syncing the inventory `old` with the config's `listed` numbers changes."""
    new: dict[str, Entry] = {}
    conflicts: list[Conflict] = []
    out: set[str] = set()
    for wanted in listed:
        entry = old.get(wanted.number)
        if entry is None:
            new[wanted.number] = _placed(wanted, now, None)
        elif entry.released_at is None:
            new[wanted.number] = _placed(wanted, entry.first_seen, None)
        elif now < entry.released_at + cooling and wanted.campaign != entry.campaign:
            conflicts.append(Conflict(wanted.number, wanted.campaign, entry.campaign,
                                      entry.released_at, entry.released_at + cooling))
        elif entry.listed and wanted.campaign == entry.campaign:
            new[wanted.number] = _placed(wanted, entry.first_seen, entry.released_at)
            out.add(wanted.number)
        else:
            new[wanted.number] = _placed(wanted, entry.first_seen, None)
    refused = {conflict.number for conflict in conflicts}
    released = []
    for number, entry in old.items():
        if number in new or number in refused:
            continue
        if entry.released_at is None:
            new[number] = replace(entry, released_at=now, listed=False)
            released.append(number)
        elif entry.listed:
            new[number] = replace(entry, listed=False)
    changed = tuple(e for n, e in sorted(new.items()) if old.get(n) != e)
    return SyncPlan(changed, tuple(conflicts), frozenset(out), tuple(sorted(released)))


def _placed(wanted: Listed, first_seen: datetime, released_at: datetime | None) -> Entry:
    facts = {f.name: getattr(wanted, f.name) for f in fields(Listed)}
    return Entry(**facts, first_seen=first_seen, released_at=released_at, listed=True)
