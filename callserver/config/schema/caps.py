"""Call limits of a scope (the whole config, a campaign, a number): per hour, day, month, at
once, and per block of the day; a call over any of them is refused as `capped`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated

from pydantic import AfterValidator, Field

from callserver.config.schema.base import Strict
from callserver.hours.blocks import parse_block_hours, refuse_overlaps
from callserver.hours.intervals import Interval


def _block_hours(value: str) -> str:
    return str(parse_block_hours(value))


class CapBlock(Strict):
    """A block of the day with its own limit, in the scope's time zone, as day caps are."""

    hours: Annotated[str, AfterValidator(_block_hours)] = Field(
        description='One range, e.g. "09:00-12:00" or "22:00-06:00" (runs past midnight).')
    calls: int = Field(ge=0, description="Calls that may start in each day's occurrence.")

    @cached_property
    def interval(self) -> Interval:
        return parse_block_hours(self.hours)


def _no_overlaps(blocks: list[CapBlock]) -> list[CapBlock]:
    refuse_overlaps([block.interval for block in blocks])
    return blocks


class Caps(Strict):
    """Call limits; a call over any limit is refused with the `capped` outcome."""

    hour: int | None = Field(None, ge=0, description="Calls per clock hour.")
    day: int | None = Field(None, ge=0, description="Calls per local day.")
    month: int | None = Field(None, ge=0, description="Calls per local calendar month.")
    concurrency: int | None = Field(None, ge=0, description="Calls in progress at once.")
    blocks: Annotated[list[CapBlock], AfterValidator(_no_overlaps)] = Field(
        default_factory=list,
        description="Blocks of the day, each limiting the calls that start while the clock is "
                    "inside it (counted from the block's start); outside every block, blocks "
                    "do not limit. Blocks may not overlap.")
