"""Caps on blocks of the day: which block is in force, since when it counts (overnight and DST
days in America/New_York included), and how its cap is checked and named."""

from datetime import datetime

import pytest

from callserver.hours.blocks import (
    Block,
    block_in_force,
    block_start,
    parse_block_hours,
    refuse_overlaps,
)
from callserver.hours.caps import BlockCount, CapCheck, Caps, Counters, check_caps, first_blocked
from callserver.hours.intervals import Interval

NY = "America/New_York"
MORNING, AFTERNOON = Block(Interval(540, 720), 20), Block(Interval(720, 1020), 40)
NIGHT = Block(Interval(1320, 360), 5)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text + "+00:00")


def start(hours: str, now: str) -> str | None:
    found = block_start(parse_block_hours(hours), NY, utc(now))
    return None if found is None else found.strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(("hours", "now", "began"), [
    # January, EST (UTC-5): a block counts from its start today, and only while inside it.
    ("09:00-12:00", "2026-01-13 15:30", "2026-01-13 14:00"),
    ("09:00-12:00", "2026-01-13 14:00", "2026-01-13 14:00"),
    ("09:00-12:00", "2026-01-13 17:00", None),  # 12:00 ends it
    ("09:00-12:00", "2026-01-13 13:59", None),
    # Overnight: after midnight it began the evening before; before midnight, this evening.
    ("22:00-06:00", "2026-01-14 07:00", "2026-01-14 03:00"),  # 02:00 local, from 22:00 on 13th
    ("22:00-06:00", "2026-01-14 04:00", "2026-01-14 03:00"),  # 23:00 local on the 13th
    ("22:00-06:00", "2026-01-14 11:00", None),  # 06:00 local ends it
    ("24h", "2026-01-13 15:30", "2026-01-13 05:00"),
    # 2026-03-08, spring forward at 02:00 EST -> 03:00 EDT (07:00 UTC).
    ("01:00-04:00", "2026-03-08 07:30", "2026-03-08 06:00"),  # the clock showed 01:00 EST
    ("02:00-04:00", "2026-03-08 07:30", "2026-03-08 07:00"),  # jumped over 02:00: from 03:00
    ("02:15-02:45", "2026-03-08 07:00", None),  # never on the clock that day
    ("22:00-06:00", "2026-03-08 09:00", "2026-03-08 03:00"),  # 05:00 EDT, from 22:00 EST
    # 2026-11-01, fall back at 02:00 EDT -> 01:00 EST (06:00 UTC): 01:xx happens twice.
    ("01:00-01:30", "2026-11-01 05:15", "2026-11-01 05:00"),  # first 01:15 (EDT)
    ("01:00-01:30", "2026-11-01 06:15", "2026-11-01 06:00"),  # second 01:15 counts afresh
    ("00:00-03:00", "2026-11-01 06:15", "2026-11-01 04:00"),  # one occurrence, 4 hours long
    ("00:30-01:45", "2026-11-01 06:15", "2026-11-01 06:00"),  # clock went back into it
    ("00:30-01:45", "2026-11-01 05:50", None),  # 01:50 EDT: between the two passes
    ("22:00-06:00", "2026-11-01 10:00", "2026-11-01 02:00"),  # 05:00 EST, from 22:00 EDT
])
def test_block_start(hours: str, now: str, began: str | None) -> None:
    assert start(hours, now) == began


def test_the_block_in_force_is_the_one_the_clock_is_inside() -> None:
    blocks = (MORNING, AFTERNOON, NIGHT)
    assert block_in_force(blocks, NY, utc("2026-01-13 18:00")) == (AFTERNOON,
                                                                   utc("2026-01-13 17:00"))
    assert block_in_force(blocks, NY, utc("2026-01-14 08:00")) == (NIGHT,
                                                                   utc("2026-01-14 03:00"))
    assert block_in_force(blocks, NY, utc("2026-01-13 23:00")) is None  # 18:00 local
    assert block_in_force((), NY, utc("2026-01-13 18:00")) is None


def test_block_start_refuses_naive_instants_and_unknown_zones() -> None:
    with pytest.raises(ValueError, match="no timezone"):
        block_start(MORNING.interval, NY, datetime(2026, 1, 13, 15))
    with pytest.raises(ValueError, match="unknown timezone"):
        block_start(MORNING.interval, "Mars/Olympus", utc("2026-01-13 15:00"))


def test_the_block_counted_for_is_checked_and_named() -> None:
    caps = Caps(day=100, concurrency=3, blocks=(MORNING, AFTERNOON))
    checks = check_caps("number:+18005550101", caps,
                        Counters(day=30, concurrency=1, block=BlockCount("block 09:00-12:00", 20)))
    assert checks == (
        CapCheck("number:+18005550101", "day", 30, 100, blocked=False),
        CapCheck("number:+18005550101", "block 09:00-12:00", 20, 20, blocked=True),
        CapCheck("number:+18005550101", "concurrency", 1, 3, blocked=False),
    )
    assert first_blocked(checks) == checks[1]


def test_outside_every_block_blocks_do_not_limit() -> None:
    caps = Caps(blocks=(Block(Interval(540, 720), 0),))
    assert check_caps("campaign:spring", caps, Counters()) == ()
    # counts taken for a block this config no longer has (a reload) limit nothing either
    assert check_caps("campaign:spring", caps,
                      Counters(block=BlockCount("block 13:00-14:00", 9))) == ()


@pytest.mark.parametrize(("hours", "message"), [
    ("25:00-26:00", "'25:00' is not a time"),
    ("9am-noon", "not a time"),
    ("09:00-10:00, 11:00-12:00", "one range"),
    ("closed", "needs hours"),
    (["09:00-10:00"], None),
])
def test_block_hours_are_spelled_as_schedules_are(hours: object, message: str | None) -> None:
    if message is None:
        assert parse_block_hours(hours) == Interval(540, 600)
        return
    with pytest.raises(ValueError, match=message):
        parse_block_hours(hours)


@pytest.mark.parametrize("ranges", [
    ("09:00-12:00", "11:00-13:00"),
    ("22:00-06:00", "05:00-08:00"),  # the overnight block's run into the next morning
    ("24h", "09:00-10:00"),
])
def test_overlapping_blocks_are_refused(ranges: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="overlaps"):
        refuse_overlaps([parse_block_hours(r) for r in ranges])
    with pytest.raises(ValueError, match="overlaps"):
        Caps(blocks=tuple(Block(parse_block_hours(r), 1) for r in ranges))


def test_adjacent_blocks_are_fine() -> None:
    refuse_overlaps([parse_block_hours(r) for r in ("09:00-12:00", "12:00-17:00",
                                                    "22:00-09:00")])


def test_a_block_s_calls_are_a_whole_number() -> None:
    with pytest.raises(ValueError, match="whole number"):
        Block(MORNING.interval, -1)


def test_a_block_count_must_name_its_block() -> None:
    with pytest.raises(TypeError, match="block in force"):
        Counters(block=3)  # type: ignore[arg-type]
