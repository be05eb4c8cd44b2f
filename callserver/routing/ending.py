"""Calls that end without ringing anyone: closed hours, or no target able to take the call.

The number's schedule decides first: while it is open the routing plan applies; while it is
closed the call goes to the `after_hours` targets when the routing has some, and otherwise
hears the `closed` prompt, then is hung up on or, with `after_hours.action: voicemail`, leaves
a message. A plan with no attempt left ends with the routing's `no_target`.
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
          rotations: Mapping[str, int], trunk: str | None) -> DialPlan | Ending:
    """A plan with at least one attempt, or how the call ends. `hours` is the number's
    schedule state (None: it has no schedule); `closed_prompt` is its `closed` prompt."""
    if hours is None or hours.open:
        found = plan(routing, ctx, targets, schedules, counters, rotations, trunk)
        return found if found.attempts else no_target(routing, _unplaceable(found), found)
    setting = routing.after_hours
    if setting is None or not setting.targets:
        return after_hours(routing, hours, closed_prompt)
    notes = (hours.reason, "after hours: ringing the after_hours targets")
    found = ordered(routing, ctx, setting.targets, routing.strategy, None, notes,
                    targets=targets, schedules=schedules, counters=counters,
                    rotations=rotations, trunk=trunk)
    if found.attempts:
        return found
    return after_hours(routing, hours, closed_prompt, _unplaceable(found), found)


def rings_after_hours(routing: Routing) -> bool:
    """Whether a call outside hours may ring anyone: else it ends without a plan."""
    return routing.after_hours is not None and bool(routing.after_hours.targets)


def after_hours(routing: Routing, hours: OpenState, closed_prompt: str | None,
                why: str | None = None, found: DialPlan | None = None) -> Ending:
    """The closed ending: the `closed` prompt, then the voicemail `after_hours.action` asks
    for, or a hang-up. `why` says why no after-hours target took the call."""
    action = routing.after_hours.action if routing.after_hours is not None else "hangup"
    reasons = (hours.reason, *((f"after hours: {why}",) if why else ()),
               *(("after hours: voicemail",) if action == "voicemail" else ()))
    return Ending("closed", closed_prompt, action, "; ".join(reasons), found)


def unanswered(routing: Routing, why: str, found: DialPlan, hours: OpenState | None,
               closed_prompt: str | None) -> Ending:
    """Once every attempt failed: an after-hours call goes to the after-hours voicemail when
    the routing has one; any other call ends as `no_target` says."""
    setting = routing.after_hours
    if (hours is not None and not hours.open and setting is not None
            and setting.action == "voicemail"):
        return after_hours(routing, hours, closed_prompt, why, found)
    return no_target(routing, why, found)


def no_target(routing: Routing, why: str, found: DialPlan | None = None) -> Ending:
    """The routing's `no_target` ending: for an empty plan, or once every attempt failed."""
    setting = routing.no_target
    return Ending("no_target", setting.prompt, setting.action, why, found)


def _unplaceable(found: DialPlan) -> str:
    skips = "; ".join(f"{s.target} {s.reason}" for s in found.skipped)
    return f"no eligible target ({skips})" if skips else "no target listed"
