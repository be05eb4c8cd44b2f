"""What the flow does to a call's channel, each step written into the call's trace: answer
(once), play a prompt, walk an IVR menu, refuse, and end the call the routing's way.

The decisions are made elsewhere (`flow`, `ivr`, `routing`); these steps only carry them out,
so the top-level flow and the dial attempts speak to the caller and hang up the same way.
"""

from __future__ import annotations

from callserver.channel import CallerGone, Channel
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.config.schema import IvrMenu
from callserver.flow_trace import Trace
from callserver.ivr import Collect, Done, Play, start, step
from callserver.routing import Ending


class CallSteps:
    def __init__(self, channel: Channel, config: ResolvedConfig, view: NumberView,
                 trace: Trace) -> None:
        self.channel, self.config, self.view, self.trace = channel, config, view, trace
        self.answered = False

    async def end(self, ending: Ending, outcome: str, call_id: str) -> None:
        """The routing's ending: its prompt, then a voicemail when configured, then hang up.
        The trace keeps which ending it was (`closed` is the after-hours one), its action and
        the message file the caller left (None when they left none)."""
        self.trace.data["ending"] = {"kind": ending.kind, "action": ending.action,
                                     "prompt": ending.prompt}
        if ending.action == "voicemail":
            await self.answer()
            if not await self._told(ending.prompt, outcome, ending.reason):
                return
            self.trace.step = "voicemail"
            message = await self.channel.voicemail(call_id)
            self.trace.data["voicemail"] = message
            taken = "voicemail taken" if message is not None else "no voicemail left"
            await self.refuse(None, outcome, f"{ending.reason}; {taken}")
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
            if not await self._told(prompt, outcome, reason):
                return
        self.trace.finish(outcome, reason)
        self.trace.step = "hangup"
        await self.channel.hangup()

    async def _told(self, prompt: str | None, outcome: str, reason: str) -> bool:
        """Play the ending's prompt; False, the call finished, if the caller hung up during
        it. The outcome was decided before the prompt (an after-hours call is `closed`, a
        capped one `capped`): leaving while told so is not abandoning the call, and the
        after-hours and cap reports must count it."""
        try:
            await self.prompt(prompt, outcome)
        except CallerGone:
            self.trace.finish(outcome, f"{reason}; the caller hung up during the {outcome} "
                                       "prompt")
            return False
        return True

    async def prompt(self, name: str | None, role: str) -> None:
        path = self.path(name)
        if path is not None:
            self.trace.step = f"{role} prompt"
            self.trace.played(name or "", role)
            await self.channel.play(path)

    def path(self, name: str | None) -> str | None:
        found = self.config.prompts.find(name) if name is not None else None
        return str(found) if found is not None else None
