"""Asterisk's words for how a dial or a call ended, turned into ours, in one place.

A leg's `DialStatus` (DialEnd) is the first authority; a leg that hangs up without a DialEnd
(the event was lost) is judged by its hang-up cause instead. A call's outcome is then what its
legs came to: answered if any leg was, else what the last leg came to, else abandoned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

DialWord = Literal["answered", "busy", "no-answer", "cancel", "failed"]
Outcome = Literal["answered", "busy", "no-answer", "failed", "abandoned"]

# DialEnd's DialStatus (app_dial.c); ABORT, DONTCALL, TORTURE, INVALIDARGS and others: failed.
DIAL_STATUS: Mapping[str, DialWord] = {
    "ANSWER": "answered",
    "BUSY": "busy",
    "NOANSWER": "no-answer",
    "CANCEL": "cancel",
    "CONGESTION": "failed",
    "CHANUNAVAIL": "failed",
}

# Q.850 causes on the Hangup of a leg that never answered. Normal clearing of a ringing leg
# means it was cancelled (the caller left, or another leg answered); a rejection is a target
# declining the call, which callers and reports treat as busy. Anything else: failed.
HANGUP_CAUSE: Mapping[int, DialWord] = {
    16: "cancel",
    17: "busy",
    18: "no-answer",
    19: "no-answer",
    21: "busy",
    34: "failed",
}

_UNANSWERED: Mapping[DialWord, Outcome] = {
    "busy": "busy",
    "no-answer": "no-answer",
    "failed": "failed",
}


def dial_word(status: str) -> DialWord:
    return DIAL_STATUS.get(status.upper(), "failed")


def cause_word(cause: int | None) -> DialWord:
    return "failed" if cause is None else HANGUP_CAUSE.get(cause, "failed")


def outcome(answered: bool, last: DialWord | None) -> Outcome:
    """A cancelled last leg, or no leg at all, means the caller hung up first: abandoned."""
    if answered:
        return "answered"
    return "abandoned" if last is None else _UNANSWERED.get(last, "abandoned")
