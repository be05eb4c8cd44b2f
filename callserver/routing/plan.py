"""The dial plan for a call: which targets ring, in what order, and why each one or not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from callserver.config.schema.root import Target
from callserver.config.schema.routing import Routing, TargetRef
from callserver.hours.caps import CapCheck, Counters
from callserver.hours.schedule import Schedule
from callserver.routing.context import CallContext
from callserver.routing.eligibility import Skip, screen
from callserver.routing.rules import choose_rule
from callserver.routing.strategies import Attempt, order


@dataclass(frozen=True)
class DialPlan:
    """`rule` is the index of the rule that chose the targets, None when none did.

    `attempts` are dialled in order until one answers; an empty tuple means no target may
    ring. `checks` are the target caps consulted; `next_rotation` is the round-robin state
    to keep for the next call.
    """

    rule: int | None
    rule_reason: str
    strategy: str
    attempts: tuple[Attempt, ...]
    skipped: tuple[Skip, ...]
    checks: tuple[CapCheck, ...]
    next_rotation: int
    reasons: tuple[str, ...]


def plan(routing: Routing, ctx: CallContext, targets: Mapping[str, Target],
         schedules: Mapping[str, Schedule], counters: Mapping[str, Counters],
         rotation: int, trunk: str | None) -> DialPlan:
    """Choose the targets (IVR choice, else the first matching rule, else the defaults),
    screen them, and order them by the strategy."""
    notes: tuple[str, ...]
    if ctx.ivr_targets is not None:
        rule, notes = None, ("the caller's IVR choice replaces the targets; rules not consulted",)
        refs: Sequence[TargetRef] = ctx.ivr_targets
        strategy = routing.strategy
    else:
        choice = choose_rule(routing.rules, ctx)
        rule, notes = choice.index, choice.reasons
        chosen = routing.rules[rule] if rule is not None else None
        refs = chosen.targets if chosen else routing.targets
        strategy = (chosen.strategy if chosen else None) or routing.strategy
    return ordered(routing, ctx, refs, strategy, rule, notes, targets=targets,
                   schedules=schedules, counters=counters, rotation=rotation, trunk=trunk)


def ordered(routing: Routing, ctx: CallContext, refs: Sequence[TargetRef], strategy: str,
            rule: int | None, notes: Sequence[str], *, targets: Mapping[str, Target],
            schedules: Mapping[str, Schedule], counters: Mapping[str, Counters],
            rotation: int, trunk: str | None) -> DialPlan:
    """The plan for a given list of targets; `notes` say how that list was chosen."""
    screened = screen(refs, targets, schedules, counters, ctx.now, trunk)
    result = order(strategy, screened.eligible, ctx.call_id, rotation, routing.ring_timeout,
                   [ref.target for ref in refs])
    skips = tuple(f"skipped {s.target}: {s.reason}" for s in screened.skipped)
    return DialPlan(
        rule=rule, rule_reason=notes[-1], strategy=strategy, attempts=result.attempts,
        skipped=screened.skipped, checks=screened.checks,
        next_rotation=rotation + 1 if strategy == "round_robin" else rotation,
        reasons=(*notes, *screened.notes, *skips, result.reason))
