"""Hours of the day need a zone someone chose: business hours (schedules), time-of-day cap
blocks and the start of a cap's day or month, read in the UTC default, would open, close and
count at the wrong hours without a word. So where the file names no `timezone:`, each
schedule must name its own, and such caps need a scope with a schedule (whose zone they are
counted in) or the file's zone. Caps per hour or on calls at once need none."""

from __future__ import annotations

from collections.abc import Iterator

from callserver.config.errors import Found, Path
from callserver.config.schema import Caps, Config

_EXAMPLE = "(e.g. timezone: America/New_York)"
_SCHEDULE = ("business hours need a time zone: give the schedule `timezone:`, or the file one "
             f"at its top {_EXAMPLE}")
_CAPS = {
    "blocks": "cap blocks are hours of the day, so they need a time zone",
    "day": "a cap per day counts from local midnight, so it needs a time zone",
    "month": "a cap per month counts from the local first of the month, so it needs a time zone",
}


def unzoned(config: Config) -> Iterator[Found]:
    """Where an hour of the day would fall back to UTC with no zone chosen, and why: each
    schedule without its `timezone`, each scope's zone-bound caps without a schedule; none
    if the file names its zone."""
    if "timezone" in config.model_fields_set:
        return
    for name, schedule in config.schedules.items():
        if schedule.timezone is None:
            yield ("schedules", name, "timezone"), _SCHEDULE, True
    scopes: list[tuple[Path, Caps, str | None]] = [
        (("targets", name), target.caps, target.schedule)
        for name, target in config.targets.items()]
    for name, campaign in config.campaigns.items():
        scopes.append((("campaigns", name), campaign.caps, campaign.schedule))
        owners = [*((("numbers", raw), number) for raw, number in campaign.numbers.items()),
                  *((("pools", pool_name), pool) for pool_name, pool in campaign.pools.items())]
        scopes.extend((("campaigns", name, *where), own.caps, own.schedule or campaign.schedule)
                      for where, own in owners)
    for path, caps, hours in scopes:
        if hours is not None:
            continue
        for cap, why in _CAPS.items():
            if getattr(caps, cap) not in (None, []):
                yield ((*path, "caps", cap), f"{why}: give the file `timezone:` at its top "
                                             f"{_EXAMPLE}, or this a schedule with one", False)
