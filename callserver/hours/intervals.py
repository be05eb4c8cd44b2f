"""Opening hours as values: an interval of one day, and the intervals of each weekday.

Kept apart from the parsing of the YAML (`spec`) so that the readers of hours (the schedule,
cap blocks, the config schema) depend on plain frozen values, not on the text they came from.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, order=True)
class Interval:
    """Open from `start` to `end`, in minutes after local midnight of the day it starts on.

    `end` below `start` means the interval runs past midnight into the next day.
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < MINUTES_PER_DAY or not 0 < self.end <= MINUTES_PER_DAY:
            raise ValueError(f"interval {self.start}-{self.end} is outside 00:00-24:00")
        if self.start == self.end:
            raise ValueError(f"'{self}' is empty; use '24h' for a whole day")

    @property
    def length(self) -> int:
        """Minutes from start to end, counting past midnight for an overnight interval."""
        return (self.end - self.start) % MINUTES_PER_DAY or MINUTES_PER_DAY

    def covers(self, elapsed: timedelta) -> bool:
        """Open at `elapsed` after midnight of its start day (past 24h for the next day)."""
        return (
            timedelta(minutes=self.start) <= elapsed < timedelta(minutes=self.start + self.length)
        )

    def __str__(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"


@dataclass(frozen=True)
class WeeklyHours:
    """The intervals that start on each weekday, Monday first; a day without any is closed."""

    days: tuple[tuple[Interval, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != len(DAYS):
            raise ValueError(f"weekly hours need {len(DAYS)} days, got {len(self.days)}")

    def on(self, weekday: int) -> tuple[Interval, ...]:
        return self.days[weekday]


def first_overlap(intervals: Sequence[Interval]) -> tuple[Interval, Interval] | None:
    """The first two of `intervals` (sorted by start) that share a minute, within the day."""
    for earlier, later in pairwise(intervals):
        if earlier.start + earlier.length > later.start:
            return earlier, later
    return None


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
