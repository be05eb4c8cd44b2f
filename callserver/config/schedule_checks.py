"""A schedule's days and hours checked the way they will be built, so `check` reports every
range that does not parse at its own line, and a schedule that does not hold together (a
holiday with special hours, a promotion ending before it starts) at the schedule's."""

from __future__ import annotations

from collections.abc import Iterator

from callserver.config.errors import Found, Path
from callserver.config.schedules import build_schedule
from callserver.config.schema import Schedule
from callserver.hours.spec import parse_days, parse_intervals, parse_weekly


def schedule_issues(path: Path, schedule: Schedule, default_zone: str) -> Iterator[Found]:
    """The schedule at `path`: each day and range first, then, only if all of them parse,
    the week and the whole schedule built (their errors would repeat the ranges')."""
    failed = False
    for day, hours in schedule.open.items():
        for parse, value, key in ((parse_days, day, True), (parse_intervals, hours, False)):
            try:
                parse(value)
            except ValueError as exc:
                failed = True
                yield (*path, "open", day), str(exc), key
    for date, hours in schedule.special.items():
        try:
            parse_intervals(hours)
        except ValueError as exc:
            failed = True
            yield (*path, "special", date.isoformat()), str(exc), False
    if failed:
        return
    try:
        parse_weekly(schedule.open)
    except ValueError as exc:
        yield (*path, "open"), str(exc), False
        return
    try:
        build_schedule(schedule, default_zone)
    except ValueError as exc:
        yield path, str(exc), False
