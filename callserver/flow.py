"""One call, start to end: hours -> caps -> answer -> greeting -> IVR -> plan -> dial attempts.

Decisions come from the pure modules (`hours`, `ivr`, `routing`); this module only performs
them on a `Channel` and writes down each one with its reason. It knows nothing of Asterisk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from callserver.channel import CallerGone, Channel, DialResult
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.config.schema import IvrMenu
from callserver.flow_trace import CallResult, Trace
from callserver.hours.caps import Counters, check_caps, first_blocked
from callserver.hours.schedule import OpenState, is_open
from callserver.ivr import Collect, Done, Play, menu_for, start, step
from callserver.routing import (
    DialPlan,
    Ending,
    after_hours,
    context_for,
    rings_after_hours,
    route,
    unanswered,
)
from callserver.routing.context import normal_number


@dataclass(frozen=True)
class Counts:
    """Calls counted so far, by scope: `number:+1800...`, `campaign:NAME`, `target:NAME`."""

    scopes: Mapping[str, Counters] = field(default_factory=dict)
    rotation: int = 0

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
    return run.trace.result(counts.rotation)


class _Run:
    def __init__(self, channel: Channel, config: ResolvedConfig, view: NumberView,
                 trace: Trace) -> None:
        self.channel, self.config, self.view, self.trace = channel, config, view, trace
        self.answered = False

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
                        counters=counts.targets(), rotation=counts.rotation,
                        trunk=self.config.model.trunk)
        trace.plan(decided.plan if isinstance(decided, Ending) else decided)
        if isinstance(decided, Ending):
            await self.end(decided, _ending_outcome(decided), call_id)
            return
        await self.answer()
        await self.dial(decided, call_id, hours)

    async def dial(self, plan: DialPlan, call_id: str, hours: OpenState | None) -> None:
        whisper = self.path(self.view.prompts.whisper)
        last: DialResult | None = None
        for attempt in plan.attempts:
            self.trace.step = f"dial {'+'.join(attempt.targets)}"
            last = await self.channel.dial(attempt.dial, attempt.ring_timeout, whisper)
            answered = _answered_target(attempt.targets, attempt.dial, last)
            self.trace.attempt(attempt.targets, last, answered)
            if last.status == "answered":
                self.trace.finish("answered", f"answered by {answered}", answered,
                                  last.talk_seconds)
                return
            if last.status == "cancel":
                self.trace.finish("abandoned",
                                  f"caller hung up while {'+'.join(attempt.targets)} rang")
                return
        status = last.status if last is not None else "failed"
        ending = unanswered(self.view.routing, f"no attempt answered (last: {status})", plan,
                            hours, self.view.prompts.closed)
        await self.end(ending, status, call_id)

    async def end(self, ending: Ending, outcome: str, call_id: str) -> None:
        """The routing's ending: its prompt, then a voicemail when configured, then hang up.
        The trace keeps which ending it was (`closed` is the after-hours one) and its action."""
        self.trace.data["ending"] = {"kind": ending.kind, "action": ending.action,
                                     "prompt": ending.prompt}
        if ending.action == "voicemail":
            await self.answer()
            await self.prompt(ending.prompt, outcome)
            self.trace.step = "voicemail"
            self.trace.data["voicemail"] = call_id
            await self.channel.voicemail(call_id)
            await self.refuse(None, outcome, f"{ending.reason}; voicemail taken")
            return
        await self.refuse(ending.prompt, outcome, ending.reason)

    async def menu(self, menu: IvrMenu) -> Done:
        state, action = start(menu, self.view.prompts.invalid)
        while not isinstance(action, Done):
            if isinstance(action, Play):
                await self.prompt(action.prompt, "ivr")
                action = action.then
            assert isinstance(action, Collect)
            self.trace.step = f"IVR at {''.join(state.path) or 'top'}"
            keys = await self.channel.read_digits(self.path(action.prompt) or action.prompt,
                                                  action.max_digits, float(action.timeout_s))
            self.trace.keys(keys)
            state, action = step(state, keys)
        self.trace.ivr(action)
        return action

    async def answer(self) -> None:
        if not self.answered:
            self.trace.step = "answer"
            await self.channel.answer()
            self.answered = True

    async def refuse(self, prompt: str | None, outcome: str, reason: str) -> None:
        """Tell the caller why (when there is a prompt for it), then hang up."""
        if prompt is not None:
            await self.answer()
            await self.prompt(prompt, outcome)
        self.trace.finish(outcome, reason)
        self.trace.step = "hangup"
        await self.channel.hangup()

    async def prompt(self, name: str | None, role: str) -> None:
        path = self.path(name)
        if path is not None:
            self.trace.step = f"{role} prompt"
            self.trace.played(name or "", role)
            await self.channel.play(path)

    def path(self, name: str | None) -> str | None:
        found = self.config.prompts.find(name) if name is not None else None
        return str(found) if found is not None else None

    def _hours(self, now: datetime) -> OpenState | None:
        if self.view.schedule is None:
            return None
        return is_open(self.config.schedules[self.view.schedule], now)


def _answered_target(names: tuple[str, ...], dials: tuple[str, ...],
                     result: DialResult) -> str | None:
    if result.status != "answered":
        return None
    peer = result.answered_by
    for name, dial in zip(names, dials, strict=True):
        # Asterisk names the resource it reached (DIALEDPEERNUMBER: `dispatch@pbx` for
        # `PJSIP/dispatch@pbx`); a simulator may give the whole dial string.
        if peer is not None and (peer == dial or dial.split("/", 1)[-1] == peer):
            return name
    return names[0] if len(names) == 1 else result.answered_by


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
