"""Property tests: hours and periods against brute force, minute by minute, near DST changes.

The reference marks every open (date, minute) one interval-minute at a time and reads the
wall clock of each instant from pytz; it shares no arithmetic with the code under test. In
these zones every offset change and every opening falls on a whole UTC minute, so a scan at
minute steps sees every change of state.
"""

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import pytz
from hypothesis import given, settings
from hypothesis import strategies as st

from callserver.hours.caps import Period, period_start
from callserver.hours.intervals import Interval, WeeklyHours
from callserver.hours.schedule import Schedule, is_open
from callserver.hours.spec import parse_intervals

ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
)
# pytz's own table of offset changes, only to aim instants at them (private: not in its stubs).
CHANGES = {
    name: [
        change.replace(tzinfo=UTC)
        for change in pytz.timezone(name)._utc_transition_times  # type: ignore[union-attr]
        if 2020 <= change.year <= 2030
    ]
    for name in ZONES
}
MINUTE = timedelta(minutes=1)
EARLY_OR_ANY = st.integers(0, 16) | st.integers(0, 96)
SCAN = timedelta(days=3)


@st.composite
def instants(draw: st.DrawFn) -> tuple[str, datetime]:
    """A zone and an instant, half the time a few hours or up to a day and a half from a change;
    often on a quarter hour, where opening hours begin and end."""
    name = draw(st.sampled_from(ZONES))
    if draw(st.booleans()):
        minutes = st.integers(-300, 60) | st.integers(-144, 144).map(lambda q: q * 15)
        at = (
            draw(st.sampled_from(CHANGES[name])) + draw(minutes | st.integers(-2160, 2160)) * MINUTE
        )
    else:
        naive = draw(st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31)))
        quarter = draw(st.booleans())
        at = naive.replace(minute=naive.minute - naive.minute % (15 if quarter else 1), tzinfo=UTC)
        at = at.replace(second=0, microsecond=0)
    return name, at + timedelta(seconds=draw(st.sampled_from((0, 0, 1, 59))))


@st.composite
def day_hours(
    draw: st.DrawFn, quarters: st.SearchStrategy[int] = EARLY_OR_ANY
) -> tuple[Interval, ...]:
    """Disjoint intervals bounded at the given quarter hours, the last one maybe past midnight."""
    points = sorted(draw(st.sets(quarters, max_size=6)))
    hours = [
        Interval(start * 15, end * 15)
        for start, end in zip(points[::2], points[1::2], strict=False)
    ]
    free_from = hours[-1].end // 15 if hours else 0
    if free_from <= 94 and draw(st.booleans()):
        start = draw(st.integers(max(free_from, 2), 95))
        hours.append(Interval(start * 15, draw(st.integers(1, start - 1)) * 15))
    return tuple(hours)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Schedule, datetime]:
    """A schedule with holidays and special hours near the instant it is asked about."""
    name, at = draw(instants())
    weekly = WeeklyHours(tuple(draw(day_hours()) for _ in range(7)))
    today = at.astimezone(pytz.timezone(name)).date()
    marks = draw(st.dictionaries(st.integers(-2, 3), st.none() | day_hours(), max_size=3))
    holidays = frozenset(today + timedelta(days=k) for k, hours in marks.items() if hours is None)
    special = {today + timedelta(days=k): hours for k, hours in marks.items() if hours is not None}
    return Schedule(name, weekly, holidays, special), at


@st.composite
def clock_change_cases(draw: st.DrawFn) -> tuple[Schedule, datetime]:
    """Hours that begin or end near the clock readings of a change, asked shortly before it."""
    name = draw(st.sampled_from(ZONES))
    change = draw(st.sampled_from(CHANGES[name]))
    tz = pytz.timezone(name)
    readings = [instant.astimezone(tz) for instant in (change - MINUTE, change)]
    low, high = sorted((reading.hour * 60 + reading.minute) // 15 for reading in readings)
    near = st.integers(max(low - 4, 1), high + 4)
    eve = draw(st.just(()) | near.map(lambda end: (Interval(22 * 60, end * 15),)))
    special = {
        readings[1].date() - timedelta(days=1): eve,
        readings[1].date(): draw(day_hours(near)),
    }
    at = change - draw(st.integers(1, 180)) * MINUTE
    return Schedule(name, WeeklyHours(((),) * 7), frozenset(), special), at


@lru_cache(maxsize=4096)
def marked(schedule: Schedule, day: date) -> frozenset[tuple[date, int]]:
    """Every (date, minute of day) opened by the intervals that start on `day`."""
    if day in schedule.holidays:
        return frozenset()
    hours = (
        schedule.special[day] if day in schedule.special else schedule.weekly.days[day.weekday()]
    )
    minutes: set[tuple[date, int]] = set()
    for interval in hours:
        stop = interval.end if interval.end > interval.start else interval.end + 1440
        for minute in range(interval.start, stop):
            minutes.add((day + timedelta(days=minute // 1440), minute % 1440))
    return frozenset(minutes)


def reference_open(schedule: Schedule, at: datetime) -> bool:
    local = at.astimezone(pytz.timezone(schedule.timezone))
    key = (local.date(), local.hour * 60 + local.minute)
    return any(key in marked(schedule, local.date() - timedelta(days=back)) for back in (0, 1))


def minutes_between(first: datetime, last: datetime) -> list[datetime]:
    return [first + k * MINUTE for k in range((last - first) // MINUTE + 1)]


@settings(max_examples=200, deadline=None)
@given(cases() | clock_change_cases())
def test_is_open_agrees_with_brute_force(case: tuple[Schedule, datetime]) -> None:
    schedule, at = case
    assert is_open(schedule, at).open is reference_open(schedule, at)


@settings(max_examples=120, deadline=None)
@given(cases() | clock_change_cases())
def test_next_open_is_the_first_open_minute(case: tuple[Schedule, datetime]) -> None:
    schedule, at = case
    state = is_open(schedule, at)
    if state.open:
        assert state.next_open is None
        return
    first = at.replace(second=0) + MINUTE
    scanned = (t for t in minutes_between(first, first + SCAN) if reference_open(schedule, t))
    earliest = next(scanned, None)
    if earliest is None:
        assert state.next_open is None or state.next_open > first + SCAN
    else:
        assert state.next_open == earliest
    if state.next_open is not None:
        assert state.next_open > at
        assert state.next_open.utcoffset() == timedelta(0)
        assert is_open(schedule, state.next_open).open


@settings(max_examples=200, deadline=None)
@given(st.lists(day_hours(), min_size=1, max_size=3))
def test_written_hours_read_back_the_same(days: list[tuple[Interval, ...]]) -> None:
    for hours in days:
        text = ", ".join(str(interval) for interval in hours) or "closed"
        assert parse_intervals(text) == hours


def bucket(period: Period, reading: datetime) -> tuple[int, ...]:
    parts = (reading.year, reading.month, reading.day, reading.hour)
    return parts[: {"month": 2, "day": 3, "hour": 4}[period]]


def shows_first_moment(period: Period, reading: datetime) -> bool:
    below = (reading.day - 1, reading.hour, reading.minute, reading.second, reading.microsecond)
    return not any(below[{"month": 0, "day": 1, "hour": 2}[period] :])


@settings(max_examples=150, deadline=None)
@given(instants(), st.sampled_from(("hour", "day", "month")))
def test_period_start_begins_the_period_that_holds_now(
    zoned: tuple[str, datetime], period: Period
) -> None:
    name, at = zoned
    tz = pytz.timezone(name)

    def reading(instant: datetime) -> datetime:
        return instant.astimezone(tz).replace(tzinfo=None)

    start = period_start(period, name, at)
    now_bucket = bucket(period, reading(at))
    assert start <= at
    assert start.utcoffset() == timedelta(0)
    assert period_start(period, name, start) == start
    assert bucket(period, reading(start)) == now_bucket
    before = reading(start - timedelta(seconds=1))
    assert shows_first_moment(period, reading(start)) or bucket(period, before) != now_bucket
    recent = at - timedelta(hours=26)
    for later in minutes_between(start + max(1, (recent - start) // MINUTE) * MINUTE, at):
        assert bucket(period, reading(later)) == now_bucket
        assert not shows_first_moment(period, reading(later))
