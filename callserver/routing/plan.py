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


def rotation_key(campaign: str, listed: Sequence[str]) -> str:
    """Whose turns a round-robin plan takes: the campaign's list of these targets, in this
    order (`spring:sales,tvdesk`). Each list keeps its own turns, so a rule or IVR option
    with other targets does not move the defaults' turn; the same list rotates as one
    wherever it is routed from, on any of the campaign's numbers. A list a reload changes
    starts from turn 0."""
    return f"{campaign}:{','.join(listed)}"


@dataclass(frozen=True)
class Turn:
    """The round-robin turn a plan took: `turn` of the list `key`. `next` is the turn the
    next call takes, past the target this one rings (the same turn when none may ring): the
    caller stores it under `key` before it dials."""

    key: str
    turn: int
    next: int


@dataclass(frozen=True)
class DialPlan:
    """`rule` is the index of the rule that chose the targets, None when none did.

    `attempts` are dialled in order until one answers; an empty tuple means no target may
    ring. `checks` are the target caps consulted; `turn` is the round-robin turn taken
    (None for the other strategies).
    """

    rule: int | None
    rule_reason: str
    strategy: str
    attempts: tuple[Attempt, ...]
    skipped: tuple[Skip, ...]
    checks: tuple[CapCheck, ...]
    turn: Turn | None
    reasons: tuple[str, ...]


def plan(routing: Routing, ctx: CallContext, targets: Mapping[str, Target],
         schedules: Mapping[str, Schedule], counters: Mapping[str, Counters],
         rotations: Mapping[str, int], trunk: str | None) -> DialPlan:
    """Choose the targets (IVR choice, else the first matching rule, else the defaults),
    screen them, and order them by the strategy. `rotations` are the round-robin turns each
    list is at (`rotation_key`), 0 for a list not in it."""
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
                   schedules=schedules, counters=counters, rotations=rotations, trunk=trunk)


def ordered(routing: Routing, ctx: CallContext, refs: Sequence[TargetRef], strategy: str,
            rule: int | None, notes: Sequence[str], *, targets: Mapping[str, Target],
            schedules: Mapping[str, Schedule], counters: Mapping[str, Counters],
            rotations: Mapping[str, int], trunk: str | None) -> DialPlan:
    """The plan for a given list of targets; `notes` say how that list was chosen."""
    screened = screen(refs, targets, schedules, counters, ctx.now, trunk)
    listed = [ref.target for ref in refs]
    key = rotation_key(ctx.campaign, listed)
    rotation = rotations.get(key, 0)
    result = order(strategy, screened.eligible, ctx.call_id, rotation, routing.ring_timeout,
                   listed)
    turn = (Turn(key, rotation, rotation + result.turns_used) if strategy == "round_robin"
            else None)
    skips = tuple(f"skipped {s.target}: {s.reason}" for s in screened.skipped)
    return DialPlan(
        rule=rule, rule_reason=notes[-1], strategy=strategy, attempts=result.attempts,
        skipped=screened.skipped, checks=screened.checks, turn=turn,
        reasons=(*notes, *screened.notes, *skips, result.reason))
