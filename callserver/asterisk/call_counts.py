"""The counts a call's caps are checked against: calls per clock hour, local day and month
from the store, in one read, plus the calls in progress right now.

Only caps that are set are counted, and each count stops at its limit: whether the limit is
reached is all a cap needs, so a busy day costs no more than a quiet one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from callserver.asterisk.live_calls import LiveCalls
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.config.schema import Caps
from callserver.flow import Counts
from callserver.hours.caps import Counters, Period, period_start
from callserver.store import calls, cap_guards

PERIODS: tuple[Period, ...] = ("hour", "day", "month")
ScopeKind = Literal["number", "campaign", "target"]


@dataclass(frozen=True)
class Scope:
    """`kind` is number, campaign or target; `timezone` is where its days and months begin."""

    kind: ScopeKind
    key: str
    timezone: str
    caps: Caps

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.key}"


def scopes_for(config: ResolvedConfig, view: NumberView) -> list[Scope]:
    """Every scope a call to `view` may be capped in (targets: those its routing can ring)."""
    model = config.model

    def zone(schedule: str | None) -> str:
        return config.schedules[schedule].timezone if schedule else model.timezone

    campaign = model.campaigns[view.campaign]
    kinds: list[tuple[ScopeKind, str, str | None, Caps]] = [
        ("number", view.number, view.schedule, view.caps),
        ("campaign", view.campaign, campaign.schedule, campaign.caps),
        *(("target", name, t.schedule, t.caps) for name, t in model.targets.items())]
    # Asked on every call: scopes without a cap are skipped before anything is built for them.
    return [Scope(kind, key, zone(schedule), caps) for kind, key, schedule, caps in kinds
            if any(getattr(caps, period) is not None for period in PERIODS)]


def read_counts(conn: sqlite3.Connection, scopes: Sequence[Scope],
                now: datetime) -> dict[str, dict[Period, int]]:
    """Per scope, calls since the start of each capped period, up to its limit (one hop).

    Run inside the write that starts the call: the guard makes count and insert one step
    across nodes (`cap_guards.guard`).
    """
    cap_guards.guard(conn, (scope.name for scope in scopes), now)
    out: dict[str, dict[Period, int]] = {}
    for scope in scopes:
        out[scope.name] = {
            period: calls.count_since(conn, scope.kind, scope.key,
                                      period_start(period, scope.timezone, now), limit)
            for period in PERIODS if (limit := getattr(scope.caps, period)) is not None}
    return out


def counts_with_live(stored: dict[str, dict[Period, int]], live: LiveCalls, rotation: int,
                     pbx_wide: Mapping[str, int] | None = None) -> Counts:
    """Stored period counts plus calls in progress: this node's, or the PBX's when larger."""
    wide = pbx_wide or {}
    names = set(stored) | live.scopes() | set(wide)
    scopes = {name: Counters(**stored.get(name, {}),
                             concurrency=max(live.count(name), wide.get(name, 0)))
              for name in names}
    return Counts(scopes=scopes, rotation=rotation)
