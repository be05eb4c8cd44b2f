"""Calls that end without ringing anyone: closed hours, or no target able to take the call.

The number's schedule decides first: while it is open the routing plan applies; while it is
closed the call goes to the `after_hours` targets when the routing has some, and otherwise
hears the `closed` prompt. A plan with no attempt left ends with the routing's `no_target`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from callserver.config.schema.root import Target
from callserver.config.schema.routing import Routing
from callserver.hours.caps import Counters
from callserver.hours.schedule import OpenState, Schedule
from callserver.routing.context import CallContext
from callserver.routing.plan import DialPlan, ordered, plan


@dataclass(frozen=True)
class Ending:
    """Play `prompt` (when set), then `action`. `plan` is the plan that found no target."""

    kind: Literal["closed", "no_target"]
    prompt: str | None
    action: Literal["hangup", "voicemail"]
    reason: str
    plan: DialPlan | None = None


def route(routing: Routing, ctx: CallContext, hours: OpenState | None,
          closed_prompt: str | None, *, targets: Mapping[str, Target],
          schedules: Mapping[str, Schedule], counters: Mapping[str, Counters],
          rotation: int, trunk: str | None) -> DialPlan | Ending:
    """A plan with at least one attempt, or how the call ends. `hours` is the number's
    schedule state (None: it has no schedule); `closed_prompt` is its `closed` prompt."""
    if hours is None or hours.open:
        found = plan(routing, ctx, targets, schedules, counters, rotation, trunk)
        return found if found.attempts else no_target(routing, _unplaceable(found), found)
    closed = Ending("closed", closed_prompt, "hangup", hours.reason)
    if routing.after_hours is None:
        return closed
    notes = (hours.reason, "after hours: ringing the after_hours targets")
    found = ordered(routing, ctx, routing.after_hours.targets, routing.strategy, None, notes,
                    targets=targets, schedules=schedules, counters=counters,
                    rotation=rotation, trunk=trunk)
    if found.attempts:
        return found
    return Ending("closed", closed_prompt, "hangup",
                  f"{hours.reason}; after hours: {_unplaceable(found)}", found)


def no_target(routing: Routing, why: str, found: DialPlan | None = None) -> Ending:
    """The routing's `no_target` ending: for an empty plan, or once every attempt failed."""
    setting = routing.no_target
    return Ending("no_target", setting.prompt, setting.action, why, found)


def _unplaceable(found: DialPlan) -> str:
    skips = "; ".join(f"{s.target} {s.reason}" for s in found.skipped)
    return f"no eligible target ({skips})" if skips else "no target listed"
