"""Parsing opening hours from the YAML: every accepted spelling and every refusal's message."""

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from callserver.hours.intervals import Interval, WeeklyHours
from callserver.hours.spec import (
    parse_date,
    parse_days,
    parse_holidays,
    parse_intervals,
    parse_special,
    parse_weekly,
)

NINE_TO_FIVE = (Interval(9 * 60, 17 * 60),)


def test_weekly_hours_from_the_design_example() -> None:
    weekly = parse_weekly({"mon-fri": "09:00-17:00", "sat": "10:00-14:00"})
    assert weekly.days[:5] == (NINE_TO_FIVE,) * 5
    assert weekly.on(5) == (Interval(600, 840),)
    assert weekly.on(6) == ()


@pytest.mark.parametrize(
    ("key", "weekdays"),
    [
        ("mon", (0,)),
        ("Sun", (6,)),
        ("mon-fri", (0, 1, 2, 3, 4)),
        ("fri-mon", (4, 5, 6, 0)),
        ("sat,sun", (5, 6)),
        ("mon-wed, fri", (0, 1, 2, 4)),
        ("daily", (0, 1, 2, 3, 4, 5, 6)),
    ],
)
def test_day_keys(key: str, weekdays: tuple[int, ...]) -> None:
    assert parse_days(key) == weekdays


@pytest.mark.parametrize(
    ("text", "intervals"),
    [
        ("09:00-17:00", NINE_TO_FIVE),
        ("9:00 - 17:00", NINE_TO_FIVE),
        ("09:00–17:00", NINE_TO_FIVE),
        ("13:00-17:00, 09:00-12:00", (Interval(540, 720), Interval(780, 1020))),
        (["09:00-12:00", "13:00-17:00"], (Interval(540, 720), Interval(780, 1020))),
        ("09:00-12:00, 12:00-17:00", (Interval(540, 720), Interval(720, 1020))),
        ("closed", ()),
        ("Closed", ()),
        ("24h", (Interval(0, 1440),)),
        ("00:00-24:00", (Interval(0, 1440),)),
        ("00:00-00:00", (Interval(0, 1440),)),
        ("22:00-00:00", (Interval(1320, 1440),)),
        ("22:00-06:00", (Interval(1320, 360),)),
        ("05:00-07:00, 22:00-06:00", (Interval(300, 420), Interval(1320, 360))),
    ],
)
def test_interval_spellings(text: str | list[str], intervals: tuple[Interval, ...]) -> None:
    assert parse_intervals(text) == intervals


def test_interval_shape() -> None:
    overnight = Interval(22 * 60, 6 * 60)
    assert (overnight.length, str(overnight)) == (480, "22:00-06:00")
    assert overnight.covers(timedelta(hours=29, minutes=59))
    assert not overnight.covers(timedelta(hours=30))
    assert not overnight.covers(timedelta(hours=5))
    whole_day = Interval(0, 1440)
    assert (whole_day.length, str(whole_day)) == (1440, "00:00-24:00")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("09:00-25:00", "'25:00' is not a time (HH:MM, 00:00-24:00)"),
        ("09:60-17:00", "'09:60' is not a time (HH:MM, 00:00-24:00)"),
        ("24:30-17:00", "'24:30' is not a time (HH:MM, 00:00-24:00)"),
        ("nine-five", "'nine' is not a time (HH:MM, 00:00-24:00)"),
        ("24:00-06:00", "'24:00' can only end a range"),
        ("09:00", "'09:00' is not a time range like 09:00-17:00"),
        ("09:00-09:00", "'09:00-09:00' is empty; use '24h' for a whole day"),
        ("09:00-12:00, 11:00-13:00", "'09:00-12:00' overlaps '11:00-13:00'"),
        ("20:00-02:00, 21:00-23:00", "'20:00-02:00' overlaps '21:00-23:00'"),
        ("closed, 09:00-12:00", "'closed' cannot be combined with hours"),
        ("", "no hours given; use a range like '09:00-17:00', 'closed' or '24h'"),
        ([], "no hours given; use a range like '09:00-17:00', 'closed' or '24h'"),
        (9, "hours must be text like '09:00-17:00', not 9"),
        (["09:00-12:00", 13], "hours must be text like '09:00-17:00', not ['09:00-12:00', 13]"),
    ],
)
def test_bad_intervals_are_named(text: object, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_intervals(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"mo": "09:00-17:00"}, "unknown day 'mo'; use mon..sun, a range like mon-fri, or daily"),
        ({"mon-": "09:00-17:00"}, "unknown day ''; use mon..sun, a range like mon-fri, or daily"),
        ({"mon-fri": "09:00-17:00", "tue": "closed"}, "day 'tue' given twice"),
        ({"sat,sat": "10:00-14:00"}, "day 'sat' given twice"),
        ({"daily": "24h", "sun": "closed"}, "day 'sun' given twice"),
        ({"sat": "10:00-25:00"}, "sat: '25:00' is not a time (HH:MM, 00:00-24:00)"),
        (["mon"], "opening hours must map days to hours, like {mon-fri: '09:00-17:00'}"),
    ],
)
def test_bad_weekly_hours_are_named(mapping: object, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_weekly(mapping)
    assert str(raised.value) == message


def test_weekly_hours_need_seven_days() -> None:
    with pytest.raises(ValueError, match="need 7 days, got 2"):
        WeeklyHours(((), ()))


def test_intervals_outside_the_day_are_refused() -> None:
    with pytest.raises(ValueError, match="outside 00:00-24:00"):
        Interval(1440, 60)


def test_dates_holidays_and_special_hours() -> None:
    assert parse_date(date(2026, 12, 25)) == date(2026, 12, 25)
    assert parse_date("2026-12-25") == date(2026, 12, 25)
    assert parse_holidays([date(2026, 12, 25), "2027-01-01"]) == {
        date(2026, 12, 25),
        date(2027, 1, 1),
    }
    assert parse_special({date(2026, 12, 24): "09:00-12:00", "2026-12-31": "closed"}) == {
        date(2026, 12, 24): (Interval(540, 720),),
        date(2026, 12, 31): (),
    }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: parse_date("2026-13-01"), "'2026-13-01' is not a date (YYYY-MM-DD)"),
        (lambda: parse_date(datetime(2026, 12, 25, 9)), "'2026-12-25 09:00:00' is not a date"),
        (lambda: parse_holidays("2026-12-25"), "holidays must be a list of dates"),
        (lambda: parse_special({"2026-12-24": "9-12"}), "2026-12-24: '9' is not a time"),
        (
            lambda: parse_special({date(2026, 12, 24): "closed", "2026-12-24": "24h"}),
            "special hours for 2026-12-24 given twice",
        ),
        (lambda: parse_special(["2026-12-24"]), "special hours must map dates to hours"),
    ],
)
def test_bad_dates_are_named(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        call()
    assert str(raised.value).startswith(message)
