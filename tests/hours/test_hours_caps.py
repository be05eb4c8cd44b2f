"""Caps: which cap blocks and when each counting period began, DST days and odd offsets included."""

from datetime import datetime

import pytest

from callserver.hours.caps import (
    CapCheck,
    Caps,
    Counters,
    Period,
    check_caps,
    first_blocked,
    parse_caps,
    period_start,
)

SALES = Caps(hour=20, day=100, month=2000, concurrency=5)


def test_no_caps_consults_nothing() -> None:
    assert check_caps("target sales", Caps(), Counters(hour=500, concurrency=50)) == ()
    assert first_blocked(()) is None


def test_every_set_cap_is_reported_and_the_first_blocking_one_is_picked() -> None:
    checks = check_caps("target sales", SALES, Counters(hour=19, day=100, month=5, concurrency=6))
    assert checks == (
        CapCheck("target sales", "hour", 19, 20, blocked=False),
        CapCheck("target sales", "day", 100, 100, blocked=True),
        CapCheck("target sales", "month", 5, 2000, blocked=False),
        CapCheck("target sales", "concurrency", 6, 5, blocked=True),
    )
    assert first_blocked(checks) == checks[1]


def test_a_cap_of_zero_takes_no_calls() -> None:
    (check,) = check_caps("number +18005550101", Caps(day=0), Counters())
    assert check == CapCheck("number +18005550101", "day", 0, 0, blocked=True)


def test_caps_from_the_yaml() -> None:
    assert parse_caps({"hour": 20, "day": 100, "month": 2000, "concurrency": 5}) == SALES
    assert parse_caps({"day": 200, "hour": None}) == Caps(day=200)
    assert parse_caps({}) == Caps()


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"days": 100}, "unknown cap 'days'; use hour, day, month, concurrency"),
        ({"day": -1}, "cap 'day' must be a whole number >= 0, not -1"),
        ({"hour": 2.5}, "cap 'hour' must be a whole number >= 0, not 2.5"),
        ({"concurrency": True}, "cap 'concurrency' must be a whole number >= 0, not True"),
        ({"month": "2000"}, "cap 'month' must be a whole number >= 0, not '2000'"),
        ([100], "caps must map periods to limits, like {hour: 20, day: 100}"),
    ],
)
def test_bad_caps_are_named(mapping: object, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_caps(mapping)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("period", "timezone", "now", "start"),
    [
        ("hour", "UTC", "2026-06-15T10:59:59Z", "2026-06-15T10:00Z"),
        ("hour", "America/Chicago", "2026-06-15T15:20Z", "2026-06-15T15:00Z"),
        # Half-hour offsets: Adelaide's clock hours begin at half past, in UTC.
        ("hour", "Australia/Adelaide", "2026-06-15T03:17Z", "2026-06-15T02:30Z"),
        ("hour", "Australia/Adelaide", "2026-06-15T02:29Z", "2026-06-15T01:30Z"),
        ("hour", "Australia/Adelaide", "2026-10-03T16:45Z", "2026-10-03T16:30Z"),
        # New York's repeated 01:xx on 2026-11-01 is two clock hours.
        ("hour", "America/New_York", "2026-11-01T05:20Z", "2026-11-01T05:00Z"),
        ("hour", "America/New_York", "2026-11-01T06:20Z", "2026-11-01T06:00Z"),
        ("hour", "America/New_York", "2026-03-08T07:20Z", "2026-03-08T07:00Z"),
        # Lord Howe moves its clocks by half an hour: 02:00 -> 01:30, and 02:00 -> 02:30.
        ("hour", "Australia/Lord_Howe", "2026-04-04T15:15Z", "2026-04-04T14:00Z"),
        ("hour", "Australia/Lord_Howe", "2026-10-03T15:45Z", "2026-10-03T15:30Z"),
        # Days of 23 and 25 hours.
        ("day", "America/New_York", "2026-03-08T16:00Z", "2026-03-08T05:00Z"),
        ("day", "America/New_York", "2026-03-09T16:00Z", "2026-03-09T04:00Z"),
        ("day", "America/New_York", "2026-11-01T17:00Z", "2026-11-01T04:00Z"),
        ("day", "America/New_York", "2026-11-02T17:00Z", "2026-11-02T05:00Z"),
        ("day", "Australia/Sydney", "2026-04-05T10:00Z", "2026-04-04T13:00Z"),
        # Goose Bay moved its clocks at 00:01, to 01:01: that clock hour began a minute late.
        ("hour", "America/Goose_Bay", "2007-03-11T04:31Z", "2007-03-11T04:01Z"),
        # Samoa skipped 2011-12-30: its clocks went from the 29th 23:59:59 to the 31st 00:00.
        ("day", "Pacific/Apia", "2011-12-30T22:00Z", "2011-12-30T10:00Z"),
        ("hour", "Pacific/Apia", "2011-12-30T09:59Z", "2011-12-30T09:00Z"),
        ("month", "Europe/London", "2026-04-15T12:00Z", "2026-03-31T23:00Z"),
        ("month", "Europe/London", "2026-03-31T22:59Z", "2026-03-01T00:00Z"),
        ("month", "Australia/Sydney", "2026-04-15T12:00Z", "2026-03-31T13:00Z"),
    ],
)
def test_period_start(period: Period, timezone: str, now: str, start: str) -> None:
    assert period_start(period, timezone, datetime.fromisoformat(now)) == datetime.fromisoformat(
        start
    )


def test_period_start_refuses_unknown_periods_zones_and_naive_instants() -> None:
    now = datetime.fromisoformat("2026-06-15T10:00Z")
    with pytest.raises(ValueError, match="unknown period 'week'"):
        period_start("week", "UTC", now)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown timezone 'Mars/Olympus'"):
        period_start("day", "Mars/Olympus", now)
    with pytest.raises(ValueError, match="has no timezone"):
        period_start("day", "UTC", now.replace(tzinfo=None))
