"""The counts a call's caps are checked against: calls per clock hour, local day and month
from the store, in one read, plus the calls in progress right now."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from callserver.asterisk.live_calls import LiveCalls
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.flow import Counts
from callserver.hours.caps import Counters, Period, period_start
from callserver.store import calls

PERIODS: tuple[Period, ...] = ("hour", "day", "month")


@dataclass(frozen=True)
class Scope:
    """`kind` is number, campaign or target; `timezone` is where its days and months begin."""

    kind: Literal["number", "campaign", "target"]
    key: str
    timezone: str

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.key}"


def scopes_for(config: ResolvedConfig, view: NumberView) -> list[Scope]:
    model = config.model

    def zone(schedule: str | None) -> str:
        return config.schedules[schedule].timezone if schedule else model.timezone

    campaign = model.campaigns[view.campaign]
    out = [Scope("number", view.number, zone(view.schedule)),
           Scope("campaign", view.campaign, zone(campaign.schedule))]
    out += [Scope("target", name, zone(target.schedule)) for name, target in model.targets.items()]
    return out


def read_counts(conn: sqlite3.Connection, scopes: Sequence[Scope],
                now: datetime) -> dict[str, tuple[int, int, int]]:
    """Per scope, calls since the start of the current hour, day and month (one read hop)."""
    out = {}
    for scope in scopes:
        hour, day, month = (calls.count_since(conn, scope.kind, scope.key,
                                              period_start(period, scope.timezone, now))
                            for period in PERIODS)
        out[scope.name] = (hour, day, month)
    return out


def counts_with_live(stored: dict[str, tuple[int, int, int]], live: LiveCalls,
                     rotation: int) -> Counts:
    scopes = {name: Counters(hour=h, day=d, month=m, concurrency=live.count(name))
              for name, (h, d, m) in stored.items()}
    return Counts(scopes=scopes, rotation=rotation)
