"""Local hours, days and months computed by SQLite agree with Python's zone conversion, in
zones with DST, half-hour offsets and half-hour DST, across years of changes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytz
from hypothesis import given, settings
from hypothesis import strategies as st

from callserver.reports.local_sql import LocalClock, clock_over, month_span
from callserver.store.columns import instant

ZONES = ["America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe",
         "America/St_Johns", "Pacific/Chatham", "UTC", "America/Sao_Paulo"]
START = datetime(2019, 1, 1, tzinfo=UTC)
END = datetime(2031, 1, 1, tzinfo=UTC)
instants = st.datetimes(min_value=START.replace(tzinfo=None),
                        max_value=END.replace(tzinfo=None)).map(lambda d: d.replace(tzinfo=UTC))


def in_sqlite(clock: LocalClock, at: datetime) -> tuple[str, str, str]:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE TABLE calls (started_at TEXT)")
        conn.execute("INSERT INTO calls VALUES (?)", (instant(at),))
        parts = [clock.hour(), clock.day(), clock.month()]
        sql = ", ".join(text for text, _ in parts)
        params = tuple(p for _, more in parts for p in more)
        hour, day, month = conn.execute(f"SELECT {sql} FROM calls", params).fetchone()
        return hour, day, month
    finally:
        conn.close()


def in_python(zone: str, at: datetime) -> tuple[str, str, str]:
    local = at.astimezone(pytz.timezone(zone))
    offset = local.strftime("%z")
    return (local.strftime("%Y-%m-%dT%H:00") + f"{offset[:3]}:{offset[3:]}",
            local.strftime("%Y-%m-%d"), local.strftime("%Y-%m"))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ZONES), instants)
def test_sql_labels_match_python(zone: str, at: datetime) -> None:
    assert in_sqlite(clock_over(zone, START, END), at) == in_python(zone, at)


@given(st.sampled_from(ZONES), instants)
def test_labels_near_every_change(zone: str, at: datetime) -> None:
    clock = clock_over(zone, START, END)
    for change in clock.changes[:3]:
        moment = datetime.fromisoformat(change)
        for nearby in (moment - timedelta(microseconds=1), moment):
            assert in_sqlite(clock, nearby) == in_python(zone, nearby)


def test_a_zone_without_changes_has_no_case() -> None:
    clock = clock_over("Asia/Kolkata", START, END)
    assert clock.changes == () and clock.offsets == (timedelta(hours=5, minutes=30),)
    assert clock.day() == ("strftime('%Y-%m-%d', substr(started_at, 1, 19), ?)",
                           ("+19800 seconds",))


@given(st.sampled_from(ZONES), instants, instants)
def test_month_span_covers_whole_local_months(zone: str, a: datetime, b: datetime) -> None:
    first, last = min(a, b), max(a, b)
    start, end = month_span(zone, first, last)
    tz = pytz.timezone(zone)
    assert start <= first < last + timedelta(microseconds=1) <= end
    for edge in (start, end):
        local = edge.astimezone(tz)
        assert (local.day, local.hour, local.minute) == (1, 0, 0)
    assert (start - timedelta(microseconds=1)).astimezone(tz).month != first.astimezone(tz).month
