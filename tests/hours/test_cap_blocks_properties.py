"""Property test: the start of a block's occurrence against brute force, minute by minute, near
DST changes (the zones and instants of `test_hours_properties`, sharing none of its arithmetic
with the code under test): a block is in force exactly while the wall clock shows a time
inside it, and its occurrence began at the last minute the clock showed its first moment, or
where the clock came into it from outside."""

from datetime import datetime, timedelta

import pytz
from hypothesis import given, settings
from hypothesis import strategies as st

from callserver.hours.blocks import block_start
from callserver.hours.intervals import Interval
from tests.hours.test_hours_properties import MINUTE, instants

BLOCKS = st.tuples(st.integers(0, 95), st.integers(1, 96)).filter(
    lambda q: q[0] != q[1]).map(lambda q: Interval(q[0] * 15, q[1] * 15))


def window(interval: Interval, reading: datetime) -> tuple[datetime, datetime] | None:
    """The wall-clock span [first, end) of the occurrence holding `reading`, by counting."""
    for back in (0, 1):
        midnight = datetime(reading.year, reading.month, reading.day) - timedelta(days=back)
        first = midnight + timedelta(minutes=interval.start)
        end = first + timedelta(minutes=interval.length)
        if first <= reading < end:
            return first, end
    return None


def reference_start(interval: Interval, name: str, at: datetime) -> datetime | None:
    tz = pytz.timezone(name)

    def reading(instant: datetime) -> datetime:
        return instant.astimezone(tz).replace(tzinfo=None)

    found = window(interval, reading(at))
    if found is None:
        return None
    first, end = found
    minute = at.replace(second=0, microsecond=0)
    while reading(minute) != first and first <= reading(minute - MINUTE) < end:
        minute -= MINUTE
    return minute


@settings(max_examples=200, deadline=None)
@given(instants(), BLOCKS)
def test_block_start_agrees_with_brute_force(zoned: tuple[str, datetime],
                                             interval: Interval) -> None:
    name, at = zoned
    assert block_start(interval, name, at) == reference_start(interval, name, at)
