"""One call, start to end: hours -> caps -> answer -> greeting -> IVR -> plan -> dial attempts.

Decisions come from the pure modules (`hours`, `ivr`, `routing`); this module only performs
them on a `Channel` and writes down each one with its reason. It knows nothing of Asterisk.
Here is the order of the steps; how each is done to the channel is `flow_steps`, and the dial
attempts with their failover are `flow_dial`.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime

from callserver.channel import CallerGone, Channel
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.flow_dial import dial_attempts
from callserver.flow_steps import CallSteps
from callserver.flow_trace import CallResult, Trace
from callserver.hours.caps import Counters, check_caps, first_blocked
from callserver.hours.schedule import OpenState, is_open
from callserver.ivr import Done, menu_for
from callserver.routing import (
    DialPlan,
    Ending,
    after_hours,
    context_for,
    rings_after_hours,
    route,
)
from callserver.routing.context import normal_number


@dataclass(frozen=True)
class Counts:
    """Calls counted so far, by scope: `number:+1800...`, `campaign:NAME`, `target:NAME`.

    `rotations` are the round-robin turns by target list (`routing.rotation_key`): the live
    mapping the node keeps, not a copy, since the call takes its turn there as it plans.
    """

    scopes: Mapping[str, Counters] = field(default_factory=dict)
    rotations: MutableMapping[str, int] = field(default_factory=dict)

    def of(self, scope: str) -> Counters:
        return self.scopes.get(scope, Counters())

    def targets(self) -> dict[str, Counters]:
        return {k.split(":", 1)[1]: v for k, v in self.scopes.items() if k.startswith("target:")}


async def run_call(channel: Channel, config: ResolvedConfig, view: NumberView, *,
                   call_id: str, caller: str, now: datetime, counts: Counts) -> CallResult:
    """Drive the call; a hang-up at any step ends it with that step written down."""
    run = _Run(channel, config, view, Trace(view, normal_number(caller), now))
    try:
        await run.call(call_id, now, counts)
    except CallerGone:
        run.trace.finish("abandoned", f"caller hung up during {run.trace.step}")
    return run.trace.result()


class _Run(CallSteps):
    async def call(self, call_id: str, now: datetime, counts: Counts) -> None:
        view, trace = self.view, self.trace
        campaign = self.config.campaign(view.campaign)
        hours = self._hours(now)
        trace.hours(hours)
        closed = hours if hours is not None and not hours.open else None
        if closed is not None and not rings_after_hours(view.routing):
            await self.end(after_hours(view.routing, closed, view.prompts.closed), "closed",
                           call_id)
            return
        checks = (check_caps(f"number:{view.number}", view.caps,
                             counts.of(f"number:{view.number}"))
                  + check_caps(f"campaign:{view.campaign}", campaign.caps,
                               counts.of(f"campaign:{view.campaign}")))
        trace.caps(checks)
        if (blocked := first_blocked(checks)) is not None:
            reason = f"{blocked.scope} {blocked.period} cap {blocked.count}/{blocked.limit}"
            await self.refuse(view.prompts.capped, "capped", reason)
            return
        trace.step = "set-up"
        await self.channel.set_vars(_dialplan_vars(call_id, view))
        ivr: Done | None = None
        if closed is None:
            await self.answer()
            await self.prompt(view.prompts.greeting, "greeting")
            if (menu := menu_for(view.routing, campaign.ivr)) is not None:
                ivr = await self.menu(menu)
                if ivr.tags:
                    await self.channel.set_vars(_tag_vars(ivr.tags))
        ctx = context_for(view, call_id=call_id, caller=trace.data["caller"], now=now, ivr=ivr)
        decided = route(view.routing, ctx, hours, view.prompts.closed,
                        targets=self.config.model.targets, schedules=self.config.schedules,
                        counters=counts.targets(), rotations=counts.rotations,
                        trunk=self.config.model.trunk)
        found = decided.plan if isinstance(decided, Ending) else decided
        _take_turn(counts.rotations, found)
        trace.plan(found)
        if isinstance(decided, Ending):
            await self.end(decided, _ending_outcome(decided), call_id)
            return
        await self.answer()
        await dial_attempts(self, decided, call_id, hours)

    def _hours(self, now: datetime) -> OpenState | None:
        if self.view.schedule is None:
            return None
        return is_open(self.config.schedules[self.view.schedule], now)


def _take_turn(rotations: MutableMapping[str, int], found: DialPlan | None) -> None:
    """Move the list on past the target this call rings, in the same step as routing read
    the turn (nothing awaited between), so a call that overlaps this one rings the next."""
    if found is not None and found.turn is not None:
        rotations[found.turn.key] = found.turn.next


def _ending_outcome(ending: Ending) -> str:
    if ending.kind == "closed":
        return "closed"
    skips = ending.plan.skipped if ending.plan is not None else ()
    for kind in ("capped", "closed"):
        if skips and all(s.reason.startswith(kind) for s in skips):
            return kind
    return "failed"


def _dialplan_vars(call_id: str, view: NumberView) -> dict[str, str]:
    """What the dialplan and Asterisk's CDR may want to know of the call: its id, campaign,
    attribution (where the number has one) and its tags, as `tag.KEY` (the IVR's follow once
    the caller has chosen)."""
    known = {"source": view.source, "publisher": view.publisher, "sub_id": view.sub_id}
    return {"call_id": call_id, "campaign": view.campaign,
            **{key: value for key, value in known.items() if value is not None},
            **_tag_vars(view.tags)}


def _tag_vars(tags: Mapping[str, str]) -> dict[str, str]:
    return {f"tag.{key}": value for key, value in tags.items()}
