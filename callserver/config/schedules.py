"""A schedule from the file, built into the value the hours code decides with."""

from __future__ import annotations

from types import MappingProxyType

from callserver.config.schema import Schedule as ScheduleModel
from callserver.hours.schedule import Schedule
from callserver.hours.spec import parse_intervals, parse_weekly


def build_schedule(schedule: ScheduleModel, default_timezone: str) -> Schedule:
    """Raises ValueError, with a reason fit for a config error, when the parts disagree."""
    return Schedule(
        timezone=schedule.timezone or default_timezone,
        weekly=parse_weekly(schedule.open),
        holidays=frozenset(schedule.holidays),
        special=MappingProxyType({d: parse_intervals(h) for d, h in schedule.special.items()}),
        starts=schedule.starts, ends=schedule.ends,
    )
