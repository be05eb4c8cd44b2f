"""Open or closed, why, and when next: examples for each rule and the DST days of three zones."""

from collections.abc import Mapping
from datetime import date, datetime

import pytest

from callserver.hours.schedule import OpenState, Schedule, is_open
from callserver.hours.spec import parse_holidays, parse_special, parse_weekly

OFFICE = Schedule(
    timezone="America/Chicago",
    weekly=parse_weekly({"mon-fri": "09:00-17:00", "sat": "10:00-14:00"}),
    holidays=parse_holidays(["2026-12-25", "2027-01-01"]),
    special=parse_special({"2026-12-24": "09:00-12:00"}),
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def schedule(
    timezone: str,
    hours: Mapping[str, str],
    holidays: list[str] | None = None,
    special: Mapping[str, str] | None = None,
) -> Schedule:
    return Schedule(
        timezone,
        parse_weekly(hours),
        parse_holidays(holidays or []),
        parse_special(special or {}),
    )


def state(open_: bool, reason: str, next_open: str | None = None) -> OpenState:
    return OpenState(open_, reason, None if next_open is None else utc(next_open))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-06-15T15:00Z", state(True, "open: mon 09:00-17:00 America/Chicago")),
        ("2026-06-15T14:00Z", state(True, "open: mon 09:00-17:00 America/Chicago")),
        (
            "2026-06-15T22:00Z",
            state(False, "closed: outside hours (opens tue 09:00)", "2026-06-16T14:00Z"),
        ),
        (
            "2026-06-19T23:00Z",
            state(False, "closed: outside hours (opens sat 10:00)", "2026-06-20T15:00Z"),
        ),
        (
            "2026-06-20T19:00Z",
            state(False, "closed: outside hours (opens mon 09:00)", "2026-06-22T14:00Z"),
        ),
        (
            "2026-12-24T16:00Z",
            state(True, "open: 2026-12-24 09:00-12:00 America/Chicago (special hours)"),
        ),
        (
            "2026-12-24T19:00Z",
            state(
                False,
                "closed: outside special hours for 2026-12-24 (opens sat 10:00)",
                "2026-12-26T16:00Z",
            ),
        ),
        (
            "2026-12-25T16:00Z",
            state(False, "closed: holiday 2026-12-25 (opens sat 10:00)", "2026-12-26T16:00Z"),
        ),
        (
            "2026-12-31T23:30Z",
            state(False, "closed: outside hours (opens sat 10:00)", "2027-01-02T16:00Z"),
        ),
    ],
)
def test_office_hours(now: str, expected: OpenState) -> None:
    assert is_open(OFFICE, utc(now)) == expected


def test_an_opening_a_week_or_more_away_names_its_date() -> None:
    saturdays = schedule("America/Chicago", {"sat": "10:00-14:00"}, holidays=["2026-06-20"])
    assert is_open(saturdays, utc("2026-06-20T12:00Z")) == state(
        False, "closed: holiday 2026-06-20 (opens sat 2026-06-27 10:00)", "2026-06-27T15:00Z"
    )


def test_overnight_hours_run_into_a_holiday_but_do_not_start_on_one() -> None:
    nights = schedule("America/Chicago", {"fri": "22:00-06:00"}, holidays=["2026-12-26"])
    assert is_open(nights, utc("2026-12-26T09:00Z")) == state(
        True, "open: fri 22:00-06:00 America/Chicago"
    )
    assert is_open(nights, utc("2026-12-26T12:00Z")) == state(
        False, "closed: holiday 2026-12-26 (opens fri 22:00)", "2027-01-02T04:00Z"
    )
    christmas = schedule("America/Chicago", {"fri": "22:00-06:00"}, holidays=["2026-12-25"])
    assert is_open(christmas, utc("2026-12-26T05:00Z")) == state(
        False, "closed: holiday 2026-12-25 (opens fri 2027-01-01 22:00)", "2027-01-02T04:00Z"
    )


def test_never_open_within_the_horizon() -> None:
    far = schedule("Europe/London", {}, special={"2028-01-03": "09:00-17:00"})
    assert is_open(far, utc("2026-06-15T12:00Z")) == state(
        False, "closed: outside hours (no opening within 400 days)"
    )
    near = schedule("Europe/London", {}, special={"2027-05-03": "09:00-17:00"})
    assert is_open(near, utc("2026-06-15T12:00Z")).next_open == utc("2027-05-03T08:00Z")


@pytest.mark.parametrize(
    ("timezone", "hours", "now", "expected"),
    [
        # New York springs forward 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z).
        ("America/New_York", "01:30-03:00", "2026-03-08T06:30Z", True),
        ("America/New_York", "01:30-03:00", "2026-03-08T06:59Z", True),
        ("America/New_York", "01:30-03:00", "2026-03-08T07:00Z", False),
        # New York falls back 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z): 01:xx twice.
        ("America/New_York", "01:00-02:00", "2026-11-01T05:00Z", True),
        ("America/New_York", "01:00-02:00", "2026-11-01T05:59Z", True),
        ("America/New_York", "01:00-02:00", "2026-11-01T06:00Z", True),
        ("America/New_York", "01:00-02:00", "2026-11-01T06:59Z", True),
        ("America/New_York", "01:00-02:00", "2026-11-01T07:00Z", False),
        # London falls back 2026-10-25 02:00 BST -> 01:00 GMT (01:00Z).
        ("Europe/London", "01:30-02:00", "2026-10-25T00:30Z", True),
        ("Europe/London", "01:30-02:00", "2026-10-25T01:00Z", False),
        ("Europe/London", "01:30-02:00", "2026-10-25T01:30Z", True),
        # Sydney falls back 2026-04-05 03:00 AEDT -> 02:00 AEST (2026-04-04 16:00Z).
        ("Australia/Sydney", "02:00-03:00", "2026-04-04T15:00Z", True),
        ("Australia/Sydney", "02:00-03:00", "2026-04-04T16:59Z", True),
        ("Australia/Sydney", "02:00-03:00", "2026-04-04T17:00Z", False),
    ],
)
def test_wall_clock_hours_across_dst(timezone: str, hours: str, now: str, expected: bool) -> None:
    assert is_open(schedule(timezone, {"sun": hours}), utc(now)).open is expected


@pytest.mark.parametrize(
    ("timezone", "hours", "now", "reason", "next_open"),
    [
        # An opening inside the spring-forward gap happens at the first real instant after it.
        ("America/New_York", "02:30-04:00", "2026-03-08T05:00Z", "sun 03:00", "2026-03-08T07:00Z"),
        ("Australia/Sydney", "02:15-05:00", "2026-10-03T15:00Z", "sun 03:00", "2026-10-03T16:00Z"),
        # Hours wholly inside the gap do not happen that day.
        (
            "America/New_York",
            "02:00-02:30",
            "2026-03-08T05:00Z",
            "sun 2026-03-15 02:00",
            "2026-03-15T06:00Z",
        ),
        (
            "Europe/London",
            "01:00-02:00",
            "2026-03-29T00:30Z",
            "sun 2026-04-05 01:00",
            "2026-04-05T00:00Z",
        ),
        (
            "America/New_York",
            "01:30-03:00",
            "2026-03-08T07:00Z",
            "sun 2026-03-15 01:30",
            "2026-03-15T05:30Z",
        ),
        # Fall back: hours that ended at 01:30 EDT open again when the clock shows 01:00 EST.
        ("America/New_York", "00:00-01:30", "2026-11-01T05:45Z", "sun 01:00", "2026-11-01T06:00Z"),
        ("Europe/London", "01:30-02:00", "2026-10-25T01:00Z", "sun 01:30", "2026-10-25T01:30Z"),
    ],
)
def test_next_open_across_dst(
    timezone: str, hours: str, now: str, reason: str, next_open: str
) -> None:
    assert is_open(schedule(timezone, {"sun": hours}), utc(now)) == state(
        False, f"closed: outside hours (opens {reason})", next_open
    )


def test_an_instant_without_a_timezone_is_refused() -> None:
    with pytest.raises(ValueError, match="has no timezone"):
        is_open(OFFICE, datetime(2026, 6, 15, 15))


def test_a_schedule_needs_a_known_timezone_and_one_rule_per_date() -> None:
    with pytest.raises(ValueError, match="unknown timezone 'America/Chicgo'"):
        schedule("America/Chicgo", {})
    with pytest.raises(ValueError, match="2026-12-24 is both a holiday and a date with special"):
        schedule("UTC", {}, holidays=["2026-12-24"], special={"2026-12-24": "09:00-12:00"})


def test_special_hours_cannot_be_changed_through_the_schedule() -> None:
    hours = {date(2026, 12, 24): ()}
    frozen = Schedule("UTC", parse_weekly({}), frozenset(), hours)
    hours[date(2026, 12, 31)] = ()
    assert list(frozen.special) == [date(2026, 12, 24)]
    with pytest.raises(TypeError):
        frozen.special[date(2026, 12, 31)] = ()  # type: ignore[index]


PROMOTION = Schedule(
    timezone="America/Chicago",
    weekly=parse_weekly({"daily": "22:00-02:00"}),
    starts=date(2026, 12, 1),
    ends=date(2026, 12, 31),
)


@pytest.mark.parametrize(("at", "expected"), [
    ("2026-11-30T12:00:00+00:00", state(False, "closed: the schedule starts on 2026-12-01 "
                                        "(opens tue 22:00)", "2026-12-02T04:00:00+00:00")),
    ("2026-12-02T05:00:00+00:00", state(True, "open: tue 22:00-02:00 America/Chicago")),
    # The last day's overnight hours run to their end, past the last date.
    ("2027-01-01T07:30:00+00:00", state(True, "open: thu 22:00-02:00 America/Chicago")),
    ("2027-01-01T09:00:00+00:00", state(False, "closed: the schedule ended on 2026-12-31")),
    ("2027-06-01T09:00:00+00:00", state(False, "closed: the schedule ended on 2026-12-31")),
])
def test_a_promotion_opens_only_from_its_first_to_its_last_day(
    at: str, expected: OpenState
) -> None:
    assert is_open(PROMOTION, utc(at)) == expected


def test_a_promotion_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends 2026-11-30 is before starts 2026-12-01"):
        Schedule("UTC", parse_weekly({"daily": "24h"}), starts=date(2026, 12, 1),
                 ends=date(2026, 11, 30))
