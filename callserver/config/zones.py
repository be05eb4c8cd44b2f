"""Hours of the day need a zone someone chose: business hours (schedules) and time-of-day cap
blocks read in the UTC default would open, close and count at the wrong hours without a word.
So where the file names no `timezone:`, each schedule must name its own, and a cap block
needs a scope with a schedule (whose zone it is read in) or the file's zone."""

from __future__ import annotations

from collections.abc import Iterator

from callserver.config.errors import Path
from callserver.config.schema import Caps, Config

SCHEDULE = ("business hours need a time zone: give the schedule `timezone:`, or the file one "
            "at its top (e.g. timezone: America/New_York)")
BLOCKS = ("cap blocks are hours of the day and need a time zone: give the file `timezone:` at "
          "its top (e.g. timezone: America/New_York), or this a schedule with one")


def unzoned(config: Config) -> Iterator[Path]:
    """Where an hour of the day would fall back to UTC, with no zone chosen: each schedule
    (its `timezone`) and each scope's cap blocks without a schedule; none if the file names
    its zone."""
    if "timezone" in config.model_fields_set:
        return
    for name, schedule in config.schedules.items():
        if schedule.timezone is None:
            yield "schedules", name, "timezone"
    scopes: list[tuple[Path, Caps, str | None]] = [
        (("targets", name), target.caps, target.schedule)
        for name, target in config.targets.items()]
    for name, campaign in config.campaigns.items():
        scopes.append((("campaigns", name), campaign.caps, campaign.schedule))
        scopes.extend((("campaigns", name, "numbers", raw), number.caps,
                       number.schedule or campaign.schedule)
                      for raw, number in campaign.numbers.items())
    for path, caps, hours in scopes:
        if caps.blocks and hours is None:
            yield *path, "caps", "blocks"
