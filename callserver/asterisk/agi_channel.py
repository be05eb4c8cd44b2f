"""The call flow's `Channel`, spoken over FastAGI to a real Asterisk channel.

Every AGI command goes through `AgiSession`, which knows when the caller is gone (HANGUP, 511,
EOF, or the channel's status after a prompt that did not play); here that becomes
`CallerGone`, the one thing the flow expects from a line.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Mapping, Sequence
from typing import TypeVar

from callserver.asterisk import channel_vars
from callserver.asterisk.agi.command_line import command_line
from callserver.asterisk.agi.errors import ChannelGone
from callserver.asterisk.agi.session import AgiSession
from callserver.asterisk.target_holds import TargetHolds
from callserver.channel import CallerGone, DialResult, DialStatus

log = logging.getLogger(__name__)
T = TypeVar("T")

# Dial's DIALSTATUS in our words (Asterisk's app_dial documents the values).
DIAL_STATUS: Mapping[str, DialStatus] = {
    "ANSWER": "answered", "BUSY": "busy", "NOANSWER": "no-answer", "CANCEL": "cancel",
    "CONGESTION": "failed", "CHANUNAVAIL": "failed", "DONTCALL": "failed",
    "TORTURE": "failed", "INVALIDARGS": "failed",
}
VOICEMAIL_MAX_MS = 120_000


class AgiChannel:
    """`recording` is the path (on the Asterisk host) MixMonitor writes, or None."""

    def __init__(self, session: AgiSession, recording: str | None, voicemail_dir: str,
                 holds: TargetHolds, targets_by_dial: Mapping[str, str]) -> None:
        self.session = session
        self.recording = recording
        self.voicemail_dir = voicemail_dir
        self.holds = holds
        self.targets_by_dial = targets_by_dial

    async def answer(self) -> None:
        await self._do(self.session.answer())
        if self.recording is not None:
            await self._do(self.session.exec("MixMonitor", self.recording))

    async def play(self, prompt: str) -> None:
        played = await self._do(self.session.stream_file(prompt))
        if played.failed:
            await self._not_played(prompt)

    async def read_digits(self, prompt: str, max_digits: int, timeout_s: float) -> str | None:
        got = await self._do(self.session.get_data(prompt, int(timeout_s * 1000), max_digits))
        if got.failed:
            await self._not_played(prompt)
        return got.digits or None

    async def _not_played(self, prompt: str) -> None:
        """`result=-1` is a missing file on a live channel, or a hang-up Asterisk did not
        announce (AGISIGHUP=no): the channel's status tells which, so the call ends at the
        step the caller left in and a hang-up is not logged as a missing prompt."""
        await self._do(self.session.channel_status())
        log.warning("prompt %s did not play (missing on the Asterisk host?)", prompt)

    async def dial(self, dial: Sequence[str], ring_timeout: int,
                   whisper: str | None) -> DialResult:
        # A caller who hangs up after talking ends an answered call: Dial's variables stay
        # readable on the dead channel (EXEC and GET VARIABLE are dead-safe in res_agi.c).
        ringing = {d: self.targets_by_dial[d] for d in dial if d in self.targets_by_dial}
        async with self.holds.holding(ringing.values()) as full:  # busy while it rings or talks
            free = [d for d in dial if ringing.get(d) not in full]
            if not free:
                return DialResult("busy", detail="; ".join(
                    f"{c.scope} busy: {c.period} {c.count}/{c.limit}" for c in full.values()))
            args = f"{'&'.join(free)},{ring_timeout}" + (f",A({whisper})" if whisper else "")
            await self._dead_ok(self.session.exec("Dial", args))
        status = await self._var(channel_vars.DIALSTATUS)
        talk = await self._var(channel_vars.ANSWEREDTIME)
        peer = await self._var(channel_vars.DIALEDPEERNUMBER)
        if self.session.hung_up and status != "ANSWER":
            status = "CANCEL"
        return DialResult(DIAL_STATUS.get(status or "", "failed"),
                          answered_by=peer or None,
                          talk_seconds=float(talk) if talk and _is_number(talk) else 0.0,
                          detail=f"DIALSTATUS={status or 'unset'}")

    async def voicemail(self, name: str) -> str | None:
        # RECORD FILE says how far it wrote (`endpos`, in samples), on a hang-up too, and
        # keeps the file (res_agi.c). Nothing written (the beep cut short, the file not
        # writable, # pressed at once) is no message; a silent caller's second before the
        # 5 s silence cut-off is one, as there is no telling silence from speech here.
        path = f"{self.voicemail_dir}/{name}"
        reply = await self._dead_ok(self.session.command(
            command_line("RECORD FILE", path, "wav", "#", VOICEMAIL_MAX_MS, 0, "BEEP", "s=5")))
        if (reply.endpos or 0) > 0:
            return f"{path}.wav"
        if self.session.hung_up:
            raise CallerGone("the caller hung up")
        return None

    async def set_vars(self, values: Mapping[str, str]) -> None:
        for key, value in values.items():
            await self._do(self.session.set_variable(channel_vars.flow_variable(key), value))

    async def hangup(self) -> None:
        await self._dead_ok(self.session.hangup())

    async def _var(self, name: str) -> str | None:
        return await self._dead_ok(self.session.get_variable(name))

    async def _do(self, step: Awaitable[T]) -> T:
        """Run a command that needs a live caller: a HANGUP seen on the way ends the flow."""
        result = await self._dead_ok(step)
        if self.session.hung_up:
            raise CallerGone("the caller hung up")
        return result

    async def _dead_ok(self, step: Awaitable[T]) -> T:
        try:
            return await step
        except ChannelGone as exc:
            raise CallerGone(str(exc)) from exc


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
