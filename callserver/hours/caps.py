"""Call caps: how many calls a number, campaign or target may take per clock hour, local day
and local month, per block of the day (`hours.blocks`), and how many at once.

Counting is the store's job; it counts calls since `period_start(...)` (and since the start
of the block in force, `blocks.block_in_force`) and hands the counts over as `Counters`.
Deciding is this module's: which caps were consulted and which one blocks.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from callserver.hours.blocks import BlockLimit, block_name, refuse_overlaps
from callserver.hours.localtime import as_utc, instant, stretch_at, wall, zone

Period = Literal["hour", "day", "month"]
PERIODS: tuple[Period, ...] = ("hour", "day", "month")
CAP_NAMES = (*PERIODS, "concurrency")


class CapLimits(Protocol):
    """What `check_caps` reads: a `Caps` below, or the config schema's model of the same."""

    @property
    def hour(self) -> int | None: ...
    @property
    def day(self) -> int | None: ...
    @property
    def month(self) -> int | None: ...
    @property
    def concurrency(self) -> int | None: ...
    @property
    def blocks(self) -> Sequence[BlockLimit]: ...


@dataclass(frozen=True)
class Caps:
    """Limits per period, block of the day and on live calls; None: no limit, 0: no calls."""

    hour: int | None = None
    day: int | None = None
    month: int | None = None
    concurrency: int | None = None
    blocks: tuple[BlockLimit, ...] = ()

    def __post_init__(self) -> None:
        for name in CAP_NAMES:
            limit = getattr(self, name)
            if limit is not None and (type(limit) is not int or limit < 0):
                raise ValueError(f"cap '{name}' must be a whole number >= 0, not {limit!r}")
        refuse_overlaps([block.interval for block in self.blocks])


@dataclass(frozen=True)
class BlockCount:
    """Calls taken in the current occurrence of the block in force, named as `block_name`."""

    name: str
    count: int


@dataclass(frozen=True)
class Counters:
    """Calls one scope took since each period (and the block in force) began, and live now."""

    hour: int = 0
    day: int = 0
    month: int = 0
    concurrency: int = 0
    block: BlockCount | None = None

    def __post_init__(self) -> None:
        if self.block is not None and not isinstance(self.block, BlockCount):
            raise TypeError(f"block must be the block in force and its count, not {self.block!r}")


@dataclass(frozen=True)
class CapCheck:
    """One cap consulted: blocked when the count has reached the limit."""

    scope: str
    period: str
    count: int
    limit: int
    blocked: bool


def parse_caps(mapping: object) -> Caps:
    """{hour: 20, day: 100, month: 2000, concurrency: 5}; caps not named have no limit."""
    if not isinstance(mapping, Mapping):
        raise ValueError("caps must map periods to limits, like {hour: 20, day: 100}")
    unknown = [str(key) for key in mapping if key not in CAP_NAMES]
    if unknown:
        raise ValueError(f"unknown cap '{unknown[0]}'; use {', '.join(CAP_NAMES)}")
    return Caps(**{str(key): value for key, value in mapping.items()})


def check_caps(scope: str, caps: CapLimits, counters: Counters) -> tuple[CapCheck, ...]:
    """Every cap that is set, in the order hour, day, month, the block in force, concurrency.

    The block in force is the one the counts were taken for (`Counters.block`, decided at
    `now` by `blocks.block_in_force`); without one, no block limits.
    """
    checks = [_check(scope, name, getattr(counters, name), limit) for name in PERIODS
              if (limit := getattr(caps, name)) is not None]
    if (held := counters.block) is not None:
        checks.extend(_check(scope, held.name, held.count, block.calls) for block in caps.blocks
                      if block_name(block.interval) == held.name)
    if caps.concurrency is not None:
        checks.append(_check(scope, "concurrency", counters.concurrency, caps.concurrency))
    return tuple(checks)


def _check(scope: str, name: str, count: int, limit: int) -> CapCheck:
    return CapCheck(scope, name, count, limit, count >= limit)


def first_blocked(checks: Iterable[CapCheck]) -> CapCheck | None:
    return next((check for check in checks if check.blocked), None)


def period_start(period: Period, tz: str, now: datetime) -> datetime:
    """The UTC instant at which the current clock hour, local day or local month began in `tz`.

    That is the last instant at or before `now` at which the clock showed the period's first
    moment (so the hour repeated at fall-back counts afresh), or, where the clock jumped over
    that moment, the instant it jumped into the period. DST days last 23 or 25 hours, and in
    zones like Australia/Adelaide the clock hour starts at half past in UTC.
    """
    timezone = zone(tz)
    at = as_utc(now)
    stretch = stretch_at(timezone, at)
    first = _floor(period, wall(at, stretch.offset))
    while stretch.start is not None and instant(first, stretch.offset) < stretch.start:
        before = stretch.start - timedelta(microseconds=1)
        earlier = stretch_at(timezone, before)
        if _floor(period, wall(before, earlier.offset)) != first:
            return stretch.start
        stretch = earlier
    return instant(first, stretch.offset)


def _floor(period: Period, reading: datetime) -> datetime:
    hour = reading.replace(minute=0, second=0, microsecond=0)
    if period == "hour":
        return hour
    if period == "day":
        return hour.replace(hour=0)
    if period == "month":
        return hour.replace(hour=0, day=1)
    raise ValueError(f"unknown period {period!r}; use hour, day or month")
