"""Caps on blocks of the day ("09:00-12:00: 20 calls"): which block is in force at an instant,
and since when its current occurrence counts.

A block is judged by the wall clock, as schedules are: it is in force exactly while the clock
in the scope's zone shows a time inside it, and its occurrence began at the last instant at
or before `now` at which the clock showed the block's first moment. Across DST that means, as
`caps.period_start` does for hours and days: where the clock jumped over that moment (spring
forward), the occurrence began at the jump; where the clock went back into the block from
outside it (fall back), it begins afresh there. An overnight block ("22:00-06:00") in force
after midnight began the evening before. Outside every block, blocks do not limit.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Protocol, TypeVar

from callserver.hours.intervals import MINUTES_PER_DAY, Interval, first_overlap
from callserver.hours.localtime import as_utc, instant, stretch_at, wall, zone
from callserver.hours.spec import parse_intervals

DAY = timedelta(days=1)


class BlockLimit(Protocol):
    """What the decision reads of a block: the config schema's `CapBlock`, or `Block` below."""

    @property
    def interval(self) -> Interval: ...
    @property
    def calls(self) -> int: ...


@dataclass(frozen=True)
class Block:
    """At most `calls` calls start in each occurrence of `interval`."""

    interval: Interval
    calls: int

    def __post_init__(self) -> None:
        if type(self.calls) is not int or self.calls < 0:
            raise ValueError(f"a block's calls must be a whole number >= 0, not {self.calls!r}")


Limit = TypeVar("Limit", bound=BlockLimit)


def block_name(interval: Interval) -> str:
    """The cap's name in traces, counts and refusals: 'block 09:00-12:00'."""
    return f"block {interval}"


def parse_block_hours(value: object) -> Interval:
    """One range in the spellings schedules accept ('9:00-12:00', '22:00-06:00', '24h')."""
    intervals = parse_intervals(value)
    if len(intervals) != 1:
        raise ValueError("a block is one range like '09:00-12:00'; give each range its own "
                         "block" if intervals else "a block needs hours like '09:00-12:00'")
    return intervals[0]


def refuse_overlaps(intervals: Sequence[Interval]) -> None:
    """Blocks may not share a minute, counting an overnight block's run into the next day:
    a call inside two blocks would have two counts and no single answer."""
    ordered = sorted(intervals)
    clash = first_overlap(ordered)
    if clash is None and len(ordered) > 1:
        last, first = ordered[-1], ordered[0]
        if last.start + last.length > first.start + MINUTES_PER_DAY:
            clash = last, first
    if clash is not None:
        raise ValueError(f"block '{clash[0]}' overlaps block '{clash[1]}'")


def block_in_force(blocks: Iterable[Limit], tz: str,
                   now: datetime) -> tuple[Limit, datetime] | None:
    """The block the clock in `tz` is inside at `now`, with the UTC instant its occurrence
    began; None outside every block."""
    for block in blocks:
        start = block_start(block.interval, tz, now)
        if start is not None:
            return block, start
    return None


def block_start(interval: Interval, tz: str, now: datetime) -> datetime | None:
    """The UTC instant the current occurrence of `interval` began, or None when the clock in
    `tz` is outside it at `now`."""
    timezone = zone(tz)
    at = as_utc(now)
    stretch = stretch_at(timezone, at)
    first = _occurrence(interval, wall(at, stretch.offset))
    if first is None:
        return None
    end = first + timedelta(minutes=interval.length)
    while stretch.start is not None and instant(first, stretch.offset) < stretch.start:
        before = stretch.start - timedelta(microseconds=1)
        earlier = stretch_at(timezone, before)
        if not first <= wall(before, earlier.offset) < end:
            return stretch.start
        stretch = earlier
    return instant(first, stretch.offset)


def _occurrence(interval: Interval, reading: datetime) -> datetime | None:
    """The wall-clock reading at which the occurrence covering `reading` starts, if any."""
    midnight = datetime.combine(reading.date(), time())
    for day in (midnight, midnight - DAY):
        if interval.covers(reading - day):
            return day + timedelta(minutes=interval.start)
    return None
