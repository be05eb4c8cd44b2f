"""The call record as values: its status, how it ended, and what the call flow learnt.

Kept apart from the SQL (`call_rows`, `calls`) so that the many readers of a call (webhooks,
reports, the probe, the dashboard) depend on plain frozen values, not on the store's tables.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class CallStatus(StrEnum):
    IN_PROGRESS = "in-progress"
    ANSWERED = "answered"
    NO_ANSWER = "no-answer"
    BUSY = "busy"
    FAILED = "failed"
    ABANDONED = "abandoned"
    CLOSED = "closed"
    CAPPED = "capped"
    UNKNOWN_NUMBER = "unknown-number"
    RELEASED = "released"
    INTERRUPTED = "interrupted"


# The statuses `calls.complete` may still change (an interrupted call only until given up).
COMPLETABLE = (CallStatus.IN_PROGRESS, CallStatus.INTERRUPTED)


@dataclass(frozen=True)
class CallEnd:
    """How a call ended; `ring_seconds` and `talk_seconds` as measured by Asterisk.
    `voicemail` is the message file the caller left, when the call ended in voicemail;
    `revenue` and `payout` the call's pay-per-call money (`callserver.call_money`)."""

    status: CallStatus
    ended_at: datetime
    answered_at: datetime | None = None
    ring_seconds: float | None = None
    talk_seconds: float | None = None
    answered_target: str | None = None
    hangup_cause: str | None = None
    recording: str | None = None
    converted: bool = False
    voicemail: str | None = None
    revenue: float | None = None
    payout: float | None = None


@dataclass(frozen=True)
class FlowNotes:
    """What the call flow learnt, saved on the row when it ends."""

    ivr_path: tuple[str, ...]
    tags: Mapping[str, str]
    trace: Any


@dataclass(frozen=True)
class Call:
    """A call record; `end` is None while the call is in progress."""

    id: str
    started_at: datetime
    number: str
    caller: str
    uniqueid: str | None = None
    linkedid: str | None = None
    campaign: str | None = None
    source: str | None = None
    publisher: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    sub_id: str | None = None
    session_id: str | None = None
    attribution: str | None = None  # why this campaign, source and session, in words
    merged: bool = False  # the session began within the merge window (seed 003)
    ivr_path: tuple[str, ...] = ()
    trace: Any = None
    node: str | None = None  # the callserver node that took the call (see `nodes`)
    test: bool = False  # placed from monitor.caller_id (`probe.test_calls`): no customer's call
    end: CallEnd | None = None

    @property
    def status(self) -> CallStatus:
        return CallStatus.IN_PROGRESS if self.end is None else self.end.status
