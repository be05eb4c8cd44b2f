"""Wall-clock time against real instants, exact across DST changes.

pytz answers "what is the UTC offset at this instant". Schedules and cap periods also need
"until when does that offset hold": between two changes the wall clock runs in step with UTC,
so wall-clock questions become plain arithmetic inside one stretch and need care only at its
ends. pytz keeps the changes in the table its own `fromutc` bisects but offers no public way
to read it; Babel reads the same attribute for the same reason.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

import pytz


@dataclass(frozen=True)
class Stretch:
    """Real time [start, end) with one UTC offset; None where it is unbounded."""

    start: datetime | None
    end: datetime | None
    offset: timedelta


def zone(name: str) -> tzinfo:
    """The pytz zone for an IANA name, or a ValueError a config file can show."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"timezone must be an IANA name like America/Chicago, not {name!r}")
    try:
        return pytz.timezone(name)
    except pytz.UnknownTimeZoneError:
        raise ValueError(
            f"unknown timezone {name!r}; use an IANA name like America/Chicago"
        ) from None


def as_utc(at: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is refused, it names no instant."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at.isoformat()} has no timezone; pass an aware UTC instant")
    return at.astimezone(UTC)


def stretch_at(tz: tzinfo, at: datetime) -> Stretch:
    """The stretch of constant offset in `tz` that contains the instant `at`."""
    utc = as_utc(at)
    offset = utc.astimezone(tz).replace(tzinfo=None) - utc.replace(tzinfo=None)
    changes: list[datetime] = getattr(tz, "_utc_transition_times", [])
    index = bisect_right(changes, utc.replace(tzinfo=None))
    start = changes[index - 1] if index > 0 and changes[index - 1] != datetime.min else None
    end = changes[index] if index < len(changes) else None
    return Stretch(
        start=None if start is None else start.replace(tzinfo=UTC),
        end=None if end is None else end.replace(tzinfo=UTC),
        offset=offset,
    )


def wall(at: datetime, offset: timedelta) -> datetime:
    """The naive wall-clock reading of instant `at` under `offset`."""
    return (as_utc(at) + offset).replace(tzinfo=None)


def instant(reading: datetime, offset: timedelta) -> datetime:
    """The UTC instant at which a clock running at `offset` shows `reading`."""
    return (reading - offset).replace(tzinfo=UTC)
