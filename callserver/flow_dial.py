"""The plan's dial attempts, in order, until one answers or the caller hangs up while it rings;
when none answers, the routing's unanswered ending (a prompt, a voicemail) follows.

Each attempt is written into the trace with the target that answered, named as the config
names it, so the call record and `simulate` can say who took the call.
"""

from __future__ import annotations

from callserver.channel import DialResult
from callserver.flow_steps import CallSteps
from callserver.hours.schedule import OpenState
from callserver.routing import DialPlan, unanswered


async def dial_attempts(steps: CallSteps, plan: DialPlan, call_id: str,
                        hours: OpenState | None) -> None:
    whisper = steps.path(steps.view.prompts.whisper)
    last: DialResult | None = None
    for attempt in plan.attempts:
        steps.trace.step = f"dial {'+'.join(attempt.targets)}"
        last = await steps.channel.dial(attempt.dial, attempt.ring_timeout, whisper)
        answered = _answered_target(attempt.targets, attempt.dial, last)
        steps.trace.attempt(attempt.targets, last, answered)
        if last.status == "answered":
            steps.trace.finish("answered", f"answered by {answered}", answered,
                               last.talk_seconds)
            return
        if last.status == "cancel":
            steps.trace.finish("abandoned",
                               f"caller hung up while {'+'.join(attempt.targets)} rang")
            return
    status = last.status if last is not None else "failed"
    ending = unanswered(steps.view.routing, f"no attempt answered (last: {status})", plan,
                        hours, steps.view.prompts.closed)
    await steps.end(ending, status, call_id)


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
