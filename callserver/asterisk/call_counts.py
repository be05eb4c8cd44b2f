"""The counts a call's caps are checked against: calls per clock hour, local day and month,
in the block of the day in force, and calls in progress right now, all from the store in the
write that opens the call.

Only caps that are set are counted, and each count stops at its limit: whether the limit is
reached is all a cap needs, so a busy day costs no more than a quiet one. Calls in progress are
every node's (`store.live_counts`); a target's are read here for the plan, and taken for good
when it is dialled (`asterisk.target_holds`).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.config.schema import Caps
from callserver.flow import Counts
from callserver.hours import caps as limits
from callserver.hours.blocks import block_in_force, block_name
from callserver.hours.caps import CAP_NAMES, PERIODS, BlockCount, Counters, period_start
from callserver.routing.eligibility import target_caps
from callserver.store import call_totals, cap_guards, live_counts

ScopeKind = Literal["number", "campaign", "target"]
# scope name -> cap name (period, concurrency, or the block in force: `block_name`) -> count
Stored = dict[str, dict[str, int]]


@dataclass(frozen=True)
class Scope:
    """`kind` is number, campaign or target; `timezone` is where its days and months begin;
    `caps` as configured (a target's merged with its `concurrency:`)."""

    kind: ScopeKind
    key: str
    timezone: str
    caps: Caps | limits.Caps

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.key}"

    @property
    def admits(self) -> bool:
        """Whether opening the call takes a place under this scope's caps (so its count and
        the insert must be one step): not for a target whose only cap is on calls at once,
        which is taken when the target is dialled."""
        return self.kind != "target" or bool(self.caps.blocks) or any(
            getattr(self.caps, p) is not None for p in PERIODS)


def scopes_for(config: ResolvedConfig, view: NumberView) -> list[Scope]:
    """Every scope a call to `view` may be capped in (targets: those its routing can ring)."""
    model = config.model

    def zone(schedule: str | None) -> str:
        return config.schedules[schedule].timezone if schedule else model.timezone

    campaign = model.campaigns[view.campaign]
    kinds: list[tuple[ScopeKind, str, str | None, Caps | limits.Caps]] = [
        ("number", view.number, view.schedule, view.caps),
        ("campaign", view.campaign, campaign.schedule, campaign.caps),
        *(("target", name, t.schedule, target_caps(t)) for name, t in model.targets.items())]
    # Asked on every call: scopes without a cap are skipped before anything is built for them.
    return [Scope(kind, key, zone(schedule), caps) for kind, key, schedule, caps in kinds
            if caps.blocks or any(getattr(caps, name) is not None for name in CAP_NAMES)]


def read_counts(conn: sqlite3.Connection, scopes: Sequence[Scope], now: datetime) -> Stored:
    """Per scope, calls since the start of each capped period and of the block in force,
    and calls in progress, each up to its limit (one hop).

    Run inside the write that starts the call: the guard makes count and insert one step
    across nodes (`cap_guards.guard`).
    """
    cap_guards.guard(conn, (scope.name for scope in scopes if scope.admits), now)
    out: Stored = {}
    for scope in scopes:
        counted: dict[str, int] = {
            period: call_totals.count_since(conn, scope.kind, scope.key,
                                            period_start(period, scope.timezone, now), limit)
            for period in PERIODS if (limit := getattr(scope.caps, period)) is not None}
        if (held := block_in_force(scope.caps.blocks, scope.timezone, now)) is not None:
            block, since = held
            counted[block_name(block.interval)] = call_totals.count_since(
                conn, scope.kind, scope.key, since, block.calls)
        if (most := scope.caps.concurrency) is not None:
            counted["concurrency"] = live_counts.count(conn, scope.kind, scope.key, most)
        out[scope.name] = counted
    return out


def counts_from(stored: Stored, rotations: MutableMapping[str, int],
                pbx_wide: Mapping[str, int] | None = None,
                this_call: Iterable[str] = ()) -> Counts:
    """Stored counts, with calls in progress raised to the PBX's where AMI sees more (calls
    adopted after a restart, whose rows are closed). The tracker follows this call from its
    start, so its own scopes, `this_call`, are taken off the PBX's figure. `rotations` is
    kept as given: the call takes its round-robin turn in it."""
    wide = Counter(pbx_wide or {})
    wide.subtract(this_call)
    scopes = {name: _counters(counted, wide[name]) for name, counted in stored.items()}
    return Counts(scopes=scopes, rotations=rotations)


def _counters(counted: Mapping[str, int], live: int) -> Counters:
    periods = {period: counted[period] for period in PERIODS if period in counted}
    block = next((BlockCount(name, count) for name, count in counted.items()
                  if name.startswith("block ")), None)
    return Counters(**periods, concurrency=max(counted.get("concurrency", 0), live),
                    block=block)
