"""Releasing numbers on command, one or many (seed 002's bulk release): by number, by campaign
or by pool. Shared by `callserver numbers release` and `POST /api/numbers/release`.

A release is one write: the numbers leave service (their leases end and no lease is taken on
them again) and their cooling-off starts. Nothing is released when any number or group asked
for is unknown, so a typo never releases half a list.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from callserver.config.phone import to_e164
from callserver.numbers.plan import Entry
from callserver.store import inventory, pool_table


@dataclass(frozen=True)
class Ask:
    numbers: tuple[str, ...] = ()  # any spelling
    campaigns: tuple[str, ...] = ()
    pools: tuple[str, ...] = ()  # "campaign/pool", or a pool name in any campaign


@dataclass(frozen=True)
class Selection:
    chosen: tuple[Entry, ...]  # active: to release
    already: tuple[Entry, ...]  # released before
    problems: tuple[str, ...]  # what was asked for and not found


@dataclass(frozen=True)
class Released:
    entries: tuple[Entry, ...]  # as released
    leases_ended: tuple[str, ...]
    already: tuple[Entry, ...]
    problems: tuple[str, ...]


def select(found: Mapping[str, Entry], ask: Ask) -> Selection:
    """The inventory's entries that `ask` names; pure."""
    picked: dict[str, Entry] = {}
    problems = []
    for spelling in ask.numbers:
        entry = _number(found, spelling)
        if entry is None:
            problems.append(f"{spelling}: not a number callserver has tracked")
        else:
            picked[entry.number] = entry
    for campaign in ask.campaigns:
        group = [e for e in found.values() if e.campaign == campaign]
        if not group:
            problems.append(f"campaign {campaign!r}: no numbers in the inventory")
        picked.update((e.number, e) for e in group if e.released_at is None)
    for pool in ask.pools:
        campaign, _, name = pool.rpartition("/")
        group = [e for e in found.values()
                 if e.pool == name and campaign in ("", e.campaign)]
        if not group:
            problems.append(f"pool {pool!r}: no numbers in the inventory")
        picked.update((e.number, e) for e in group if e.released_at is None)
    entries = sorted(picked.values(), key=lambda e: e.number)
    return Selection(tuple(e for e in entries if e.released_at is None),
                     tuple(e for e in entries if e.released_at is not None), tuple(problems))


def release(conn: sqlite3.Connection, ask: Ask, now: datetime) -> Released:
    """Release what `ask` names (a store write); nothing at all if anything is unknown."""
    chosen = select(inventory.entries(conn), ask)
    if chosen.problems:
        return Released((), (), chosen.already, chosen.problems)
    done = tuple(replace(entry, released_at=now) for entry in chosen.chosen)
    inventory.save(conn, done)
    ended = pool_table.withdraw(conn, [entry.number for entry in done], now)
    return Released(done, tuple(ended), chosen.already, ())


def _number(found: Mapping[str, Entry], spelling: str) -> Entry | None:
    try:
        return found.get(to_e164(spelling))
    except ValueError:
        return None
