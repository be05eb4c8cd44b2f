"""Pay-per-call prices: what a buyer pays the network for a converted call it answered, and
what the network pays a publisher for a converted call its numbers brought. Each call keeps
the amounts in force when it ended, so a later edit never rewrites history."""

from __future__ import annotations

from pydantic import Field

from callserver.config.schema.base import Strict


class Revenue(Strict):
    """What the network earns from a target (a buyer)."""

    per_converted_call: float = Field(
        ge=0, description="Paid by the buyer for each converted call this target answered "
                          "(a repeat caller under `conversion.repeat_within_days` does not "
                          "convert, so earns nothing). Recorded on the call as `revenue`.")


class Payout(Strict):
    """What the network pays a publisher (a traffic partner)."""

    per_converted_call: float = Field(
        ge=0, description="Paid to the publisher for each converted call credited to it, "
                          "whoever answered. Recorded on the call as `payout`; the publisher "
                          "sees its payout, never the network's revenue or margin.")
