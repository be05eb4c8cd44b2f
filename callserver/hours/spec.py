"""Opening hours as written in the YAML, parsed into values or refused with a readable reason.

The config loader calls these; every ValueError names the part of the text that is wrong, so
`callserver check` can print it beside the file and line. The values themselves are in `intervals`.
"""

import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import date, datetime

from callserver.hours.intervals import DAYS, MINUTES_PER_DAY, Interval, WeeklyHours, first_overlap

_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_RANGE = re.compile(r"(\S+?)\s*-\s*(\S+)")


def parse_weekly(mapping: object) -> WeeklyHours:
    """{mon-fri: "09:00-17:00", sat: "10:00-14:00"}; days not named are closed."""
    if not isinstance(mapping, Mapping):
        raise ValueError("opening hours must map days to hours, like {mon-fri: '09:00-17:00'}")
    days: list[tuple[Interval, ...] | None] = [None] * len(DAYS)
    for key, value in mapping.items():
        try:
            intervals = parse_intervals(value)
        except ValueError as error:
            raise ValueError(f"{key}: {error}") from None
        for weekday in parse_days(key):
            if days[weekday] is not None:
                raise ValueError(f"day '{DAYS[weekday]}' given twice")
            days[weekday] = intervals
    return WeeklyHours(tuple(day or () for day in days))


def parse_days(key: object) -> tuple[int, ...]:
    """'mon', 'mon-fri', 'fri-mon' (wraps), 'sat,sun', 'daily' -> weekday numbers, Monday 0."""
    text = str(key).strip().lower()
    if text == "daily":
        return tuple(range(len(DAYS)))
    weekdays: list[int] = []
    for part in (piece.strip() for piece in text.split(",")):
        first, dash, last = part.partition("-")
        begin, end = _weekday(first.strip()), _weekday((last if dash else first).strip())
        for step in range((end - begin) % len(DAYS) + 1):
            weekday = (begin + step) % len(DAYS)
            if weekday in weekdays:
                raise ValueError(f"day '{DAYS[weekday]}' given twice")
            weekdays.append(weekday)
    return tuple(weekdays)


def parse_intervals(value: object) -> tuple[Interval, ...]:
    """'09:00-12:00, 13:00-17:00', a list of such, 'closed', '24h' -> intervals sorted by start."""
    text = _joined(value).strip().lower().replace("–", "-").replace("—", "-")
    if not text:
        raise ValueError("no hours given; use a range like '09:00-17:00', 'closed' or '24h'")
    parts = [part.strip() for part in text.split(",")]
    if parts == ["closed"]:
        return ()
    if "closed" in parts:
        raise ValueError("'closed' cannot be combined with hours")
    intervals = sorted(
        Interval(0, MINUTES_PER_DAY) if part == "24h" else _range(part) for part in parts
    )
    clash = first_overlap(intervals)
    if clash is not None:
        raise ValueError(f"'{clash[0]}' overlaps '{clash[1]}'")
    return tuple(intervals)


def parse_date(value: object) -> date:
    """A YAML date (PyYAML already made it a `date`) or its text, 'YYYY-MM-DD'."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a date (YYYY-MM-DD)") from None


def parse_holidays(values: object) -> frozenset[date]:
    """[2026-12-25, 2027-01-01]: dates on which nothing opens."""
    if not isinstance(values, Sequence | AbstractSet) or isinstance(values, str):
        raise ValueError("holidays must be a list of dates, like [2026-12-25]")
    return frozenset(parse_date(value) for value in values)


def parse_special(mapping: object) -> dict[date, tuple[Interval, ...]]:
    """{2026-12-24: "09:00-12:00"}: hours that replace the weekday's on one date."""
    if not isinstance(mapping, Mapping):
        raise ValueError("special hours must map dates to hours, like {2026-12-24: '09:00-12:00'}")
    special: dict[date, tuple[Interval, ...]] = {}
    for key, value in mapping.items():
        day = parse_date(key)
        if day in special:
            raise ValueError(f"special hours for {day} given twice")
        try:
            special[day] = parse_intervals(value)
        except ValueError as error:
            raise ValueError(f"{day}: {error}") from None
    return special


def _joined(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    raise ValueError(f"hours must be text like '09:00-17:00', not {value!r}")


def _weekday(name: str) -> int:
    if name not in DAYS:
        raise ValueError(f"unknown day '{name}'; use mon..sun, a range like mon-fri, or daily")
    return DAYS.index(name)


def _range(text: str) -> Interval:
    match = _RANGE.fullmatch(text)
    if match is None:
        raise ValueError(f"'{text}' is not a time range like 09:00-17:00")
    start, end = _minutes(match[1]), _minutes(match[2])
    if start == MINUTES_PER_DAY:
        raise ValueError(f"'{match[1]}' can only end a range")
    return Interval(start, end or MINUTES_PER_DAY)


def _minutes(text: str) -> int:
    match = _TIME.fullmatch(text)
    if match is None or int(match[2]) > 59 or int(match[1]) * 60 + int(match[2]) > MINUTES_PER_DAY:
        raise ValueError(f"'{text}' is not a time (HH:MM, 00:00-24:00)")
    return int(match[1]) * 60 + int(match[2])
