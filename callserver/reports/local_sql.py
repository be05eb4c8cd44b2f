"""Local hours, days and months of `started_at`, computed by SQLite, exact across DST changes.

SQLite knows no time zones, only fixed offsets. Over a span of real time a zone's offset
changes a few times a year, so a `CASE` over those change instants picks the offset each call
started under, and `strftime` applies it: every bucket is grouped in SQL, none in Python.
Fractional seconds are cut before `strftime`, which would round 59.9995 s up to the next hour.
An hour's label carries its offset, so the repeated hour of a DST fall-back stays two hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytz

from callserver.hours.localtime import stretch_at
from callserver.store.columns import instant

Sql = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class LocalClock:
    """Offsets in force over a span: `offsets[i]` until `changes[i]` (UTC text), the last after."""

    changes: tuple[str, ...]
    offsets: tuple[timedelta, ...]

    def hour(self) -> Sql:
        """`2026-11-01T01:00-04:00`: the local hour and the offset it was read under."""
        text, params = self._strftime("%Y-%m-%dT%H:00")
        zone, more = self._case([_iso_offset(o) for o in self.offsets])
        return f"{text} || {zone}", params + more

    def day(self) -> Sql:
        return self._strftime("%Y-%m-%d")

    def month(self) -> Sql:
        return self._strftime("%Y-%m")

    def _strftime(self, fmt: str) -> Sql:
        shift, params = self._case([f"{int(o.total_seconds()):+d} seconds" for o in self.offsets])
        return f"strftime('{fmt}', substr(started_at, 1, 19), {shift})", params

    def _case(self, values: list[str]) -> Sql:
        if not self.changes:
            return "?", (values[0],)
        whens = " ".join("WHEN started_at < ? THEN ?" for _ in self.changes)
        params = tuple(p for pair in zip(self.changes, values, strict=False) for p in pair)
        return f"CASE {whens} ELSE ? END", (*params, values[-1])


def clock_over(timezone: str, start: datetime, end: datetime) -> LocalClock:
    """The zone's offsets over [start, end)."""
    zone = pytz.timezone(timezone)
    stretch = stretch_at(zone, start)
    changes: list[str] = []
    offsets = [stretch.offset]
    while stretch.end is not None and stretch.end < end:
        change = stretch.end
        stretch = stretch_at(zone, change)
        if stretch.offset != offsets[-1]:
            changes.append(instant(change))
            offsets.append(stretch.offset)
    return LocalClock(tuple(changes), tuple(offsets))


def month_span(timezone: str, first: datetime, last: datetime) -> tuple[datetime, datetime]:
    """From the local start of `first`'s month to the local start of the month after `last`'s:
    the whole months a monthly budget is spread over."""
    zone = pytz.timezone(timezone)
    start = first.astimezone(zone)
    end = last.astimezone(zone)
    after = (end.year + end.month // 12, end.month % 12 + 1)
    return (_month_start(zone, start.year, start.month), _month_start(zone, *after))


def _month_start(zone: pytz.BaseTzInfo, year: int, month: int) -> datetime:
    return zone.localize(datetime(year, month, 1)).astimezone(UTC)


def _iso_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
