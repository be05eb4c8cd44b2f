"""Is a schedule open at an instant, and if not, when does it next open?

Hours are wall-clock hours: the schedule is open exactly when the clock on the office wall
shows a time inside that date's hours. Across DST that means:
- spring forward: an interval is open for the real instants that exist (01:30-03:00 on a
  day whose clocks jump 02:00 -> 03:00 is open half an hour), and an opening that falls in
  the gap happens at the first real instant after it;
- fall back: the repeated hour is judged by the clock both times (01:00-02:00 is open for both
  occurrences of 01:xx), so an interval edge inside that hour is crossed twice, and hours that
  ended at 01:30 open again when the clock goes back to 01:00.
A holiday closes its whole local date: nothing starts on it, but an overnight interval that
started the day before still runs to its end, as a shift already under way would. A date
cannot be both a holiday and a date with special hours. A schedule may run only from `starts`
to `ends` (a promotion's first and last day, inclusive): outside them every date is closed as
a holiday is, so routing stops by itself when the promotion ends.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from types import MappingProxyType

from callserver.hours.intervals import DAYS, Interval, WeeklyHours
from callserver.hours.localtime import as_utc, instant, stretch_at, wall, zone

HORIZON = timedelta(days=400)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Schedule:
    """One named schedule from the YAML; refuses an unknown timezone at load, not at call time."""

    timezone: str
    weekly: WeeklyHours
    holidays: frozenset[date] = frozenset()
    special: Mapping[date, tuple[Interval, ...]] = field(default_factory=dict, hash=False)
    starts: date | None = None
    ends: date | None = None

    def __post_init__(self) -> None:
        zone(self.timezone)
        object.__setattr__(self, "special", MappingProxyType(dict(self.special)))
        both = sorted(self.holidays & self.special.keys())
        if both:
            raise ValueError(f"{both[0]} is both a holiday and a date with special hours")
        if self.starts and self.ends and self.ends < self.starts:
            raise ValueError(f"ends {self.ends} is before starts {self.starts}")

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        """The intervals that start on a local date."""
        if day in self.holidays or self.out_of_run(day):
            return ()
        return self.special.get(day, self.weekly.on(day.weekday()))

    def out_of_run(self, day: date) -> str | None:
        """Why a date is outside the schedule's run (before `starts`, after `ends`), if it is."""
        if self.starts is not None and day < self.starts:
            return f"the schedule starts on {self.starts}"
        if self.ends is not None and day > self.ends:
            return f"the schedule ended on {self.ends}"
        return None


@dataclass(frozen=True)
class OpenState:
    """`next_open` is a UTC instant, None while open or when nothing opens within HORIZON."""

    open: bool
    reason: str
    next_open: datetime | None


def is_open(schedule: Schedule, now: datetime) -> OpenState:
    """Open or closed at the aware instant `now`, with the reason a caller can show or log."""
    tz = zone(schedule.timezone)
    reading = as_utc(now).astimezone(tz).replace(tzinfo=None)
    found = _interval_at(schedule, reading)
    if found is not None:
        started, interval = found
        return OpenState(True, f"open: {_label(schedule, started, interval)}", None)
    today = reading.date()
    if (out := schedule.out_of_run(today)) is not None:
        why = out
    elif today in schedule.holidays:
        why = f"holiday {today}"
    elif today in schedule.special:
        why = f"outside special hours for {today}"
    else:
        why = "outside hours"
    if schedule.ends is not None and today > schedule.ends:
        return OpenState(False, f"closed: {why}", None)  # nothing opens again: no search
    following = _next_open(schedule, tz, now)
    if following is None:
        return OpenState(False, f"closed: {why} (no opening within {HORIZON.days} days)", None)
    opens = following.astimezone(tz)
    day = DAYS[opens.weekday()]
    if opens.date() - today >= 7 * DAY:
        day = f"{day} {opens.date()}"
    return OpenState(False, f"closed: {why} (opens {day} {opens:%H:%M})", following)


def _label(schedule: Schedule, started: date, interval: Interval) -> str:
    if started in schedule.special:
        return f"{started} {interval} {schedule.timezone} (special hours)"
    return f"{DAYS[started.weekday()]} {interval} {schedule.timezone}"


def _interval_at(schedule: Schedule, reading: datetime) -> tuple[date, Interval] | None:
    """The interval, and the date it started on, that covers a wall-clock reading."""
    today = reading.date()
    elapsed = reading - datetime.combine(today, time())
    for started, since in ((today, elapsed), (today - DAY, elapsed + DAY)):
        for interval in schedule.hours_on(started):
            if interval.covers(since):
                return started, interval
    return None


def _next_open(schedule: Schedule, tz: tzinfo, now: datetime) -> datetime | None:
    """The first instant after `now` (which is closed) at which the schedule is open.

    Walks stretches of constant UTC offset: inside one, wall time and real time move together,
    so the answer is the first open reading of that stretch; a stretch that begins open (the
    clock jumped into open hours) opens at its first instant.
    """
    at, limit = as_utc(now), as_utc(now) + HORIZON
    while at < limit:
        stretch = stretch_at(tz, at)
        stop = limit if stretch.end is None else min(stretch.end, limit)
        reading = _first_open_reading(
            schedule, wall(at, stretch.offset), wall(stop, stretch.offset)
        )
        if reading is not None:
            return instant(reading, stretch.offset)
        at = stop
    return None


def _first_open_reading(schedule: Schedule, begin: datetime, stop: datetime) -> datetime | None:
    """The earliest wall-clock reading in [begin, stop) that is open, if any."""
    if _interval_at(schedule, begin) is not None:
        return begin
    day = begin.date()
    while (midnight := datetime.combine(day, time())) < stop:
        for interval in schedule.hours_on(day):
            opening = midnight + timedelta(minutes=interval.start)
            if begin < opening < stop:
                return opening
        day += DAY
    return None
