"""What the call flow needs from a phone line, whatever carries it (FastAGI, a simulator).

An implementation raises `CallerGone` from any method once the caller has hung up; the flow
turns that into an outcome, never into an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

DialStatus = Literal["answered", "no-answer", "busy", "failed", "cancel"]


class CallerGone(Exception):
    """The caller hung up (or the line to the PBX is gone)."""


@dataclass(frozen=True)
class DialResult:
    """How one dial attempt ended. `answered_by` is the dial string that answered."""

    status: DialStatus
    answered_by: str | None = None
    talk_seconds: float = 0.0
    detail: str = ""


class Channel(Protocol):
    async def answer(self) -> None: ...

    async def play(self, prompt: str) -> None:
        """Play a prompt file (path without extension)."""

    async def read_digits(self, prompt: str, max_digits: int, timeout_s: float) -> str | None:
        """Play `prompt` and collect keys; None on silence."""

    async def dial(self, dial: Sequence[str], ring_timeout: int,
                   whisper: str | None) -> DialResult:
        """Ring every dial string at once; `whisper` is played to whoever answers."""

    async def voicemail(self, name: str) -> str | None:
        """Record a message from the caller, after a beep, into a file called `name`; the
        path of the message file, or None when the caller left nothing. A caller who hangs up
        after speaking has left a message: that is no `CallerGone`."""

    async def set_vars(self, values: Mapping[str, str]) -> None: ...

    async def hangup(self) -> None: ...
