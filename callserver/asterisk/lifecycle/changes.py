"""What the tracker learnt from AMI, as values for the recorder to write down.

Each change names its call by the caller channel's Uniqueid and by the call record's id
(`call_id`), which is None only for a call found live after a reconnect that the store has not
identified yet (`Adopted`). Times are the event's own (`Timestamp`, with `timestampevents=yes`
in manager.conf) or, without one, the instant the event was handled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from callserver.asterisk.lifecycle.words import DialWord, Outcome


@dataclass(frozen=True)
class _CallChange:
    kind: ClassVar[str]
    call_uniqueid: str
    call_id: str | None
    at: datetime


@dataclass(frozen=True)
class _LegChange(_CallChange):
    dest_channel: str
    target: str | None


@dataclass(frozen=True)
class Ringing(_LegChange):
    """A leg was dialled (DialBegin)."""

    kind: ClassVar[str] = "ringing"


@dataclass(frozen=True)
class Answered(_LegChange):
    """A leg answered (DialEnd ANSWER); `ring_seconds` is how long this leg rang."""

    kind: ClassVar[str] = "answered"
    ring_seconds: float | None


@dataclass(frozen=True)
class DialEnded(_LegChange):
    """A leg stopped ringing unanswered: busy, no-answer, cancel or failed."""

    kind: ClassVar[str] = "dial-ended"
    status: DialWord


@dataclass(frozen=True)
class Bridged(_LegChange):
    """An answered leg joined the caller's bridge: the conversation starts."""

    kind: ClassVar[str] = "bridged"
    bridge_id: str


@dataclass(frozen=True)
class LegHungUp(_LegChange):
    """An answered leg hung up; `cause` is None when it vanished while AMI was away."""

    kind: ClassVar[str] = "leg-hung-up"
    cause: int | None
    cause_txt: str


@dataclass(frozen=True)
class CallHungUp(_CallChange):
    """The caller's channel is gone: everything AMI knows of how the call ended.

    `cause` is None when the channel vanished while AMI was away (`at` is then when that was
    noticed). `ring_seconds` is the caller's wait from the first ring to the answer, or to the
    end of the last ring. `agi_live` says the AGI session still held the call, so its flow
    decides the call's status and `Tracker.release` hands this change back once it is done.
    """

    kind: ClassVar[str] = "hung-up"
    cause: int | None
    cause_txt: str
    outcome: Outcome
    answered_channel: str | None
    answered_target: str | None
    answered_at: datetime | None
    ring_seconds: float | None
    talk_seconds: float | None
    agi_live: bool


@dataclass(frozen=True)
class Adopted(_CallChange):
    """A call found live in a channel listing that the tracker did not know (after a restart)."""

    kind: ClassVar[str] = "adopted"
    channel: str


Change = Ringing | Answered | DialEnded | Bridged | LegHungUp | CallHungUp | Adopted
