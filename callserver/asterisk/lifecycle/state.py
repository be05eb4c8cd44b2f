"""One call as the tracker follows it: the caller's channel and the legs it dialled.

Mutable on purpose and private to the tracker; what leaves the tracker is a `changes` value.
An instant is None where AMI never said it (a leg first seen in a channel listing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from callserver.asterisk.ami.wire import AmiMessage
from callserver.asterisk.lifecycle.changes import CallHungUp, LegHungUp
from callserver.asterisk.lifecycle.dialstrings import target_of
from callserver.asterisk.lifecycle.words import DialWord, outcome

UP = "6"  # ChannelState of an answered channel
LegFields = tuple[str, str | None, datetime, str, str | None]


@dataclass
class Leg:
    channel: str
    target: str | None
    rang_at: datetime | None = None
    ended_at: datetime | None = None  # stopped ringing: answered, or dial ended
    result: DialWord | None = None
    hung_up_at: datetime | None = None
    gone: bool = False

    @property
    def answered(self) -> bool:
        return self.result == "answered"

    @property
    def up(self) -> bool:
        """Answered and still there: the target is handling this call."""
        return self.answered and not self.gone


@dataclass
class CallState:
    """Keyed by the caller's Uniqueid, which Asterisk makes the Linkedid of every leg."""

    uniqueid: str
    call_id: str | None = None
    number: str | None = None
    campaign: str | None = None
    agi_live: bool = False
    linkedid: str = ""
    dials: dict[str, str] = field(default_factory=dict)
    legs: dict[str, Leg] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.linkedid = self.linkedid or self.uniqueid

    def scopes(self) -> list[str]:
        """The live-concurrency scopes this call occupies right now."""
        held = [f"number:{self.number}"] if self.number else []
        held += [f"campaign:{self.campaign}"] if self.campaign else []
        targets = [leg.target for leg in self.legs.values() if leg.up and leg.target]
        return held + [f"target:{target}" for target in targets]

    def about(self, leg: Leg, at: datetime) -> LegFields:
        """The fields every leg change starts with, in their order."""
        return self.uniqueid, self.call_id, at, leg.channel, leg.target

    def catch_up(self, listed: Mapping[str, AmiMessage], at: datetime) -> list[LegHungUp]:
        """Match the legs to a channel listing (uniqueid -> CoreShowChannel), as of `at`.

        Legs not listed are gone (an answered one hung up, cause unknown); listed channels of
        this call that are new were dialled while AMI was away; an Up one was answered.
        """
        changes: list[LegHungUp] = []
        for uniqueid, known in self.legs.items():
            if not known.gone and uniqueid not in listed:
                known.gone = True
                if known.answered:
                    changes.append(LegHungUp(*self.about(known, at), cause=None, cause_txt=""))
        for uniqueid, channel in listed.items():
            if channel.get("Linkedid") != self.linkedid or uniqueid == self.uniqueid:
                continue
            if (leg := self.legs.get(uniqueid)) is None:
                name = channel.get("Channel")
                leg = self.legs[uniqueid] = Leg(name, target_of(self.dials, "", name))
            if channel.get("ChannelState") == UP and leg.result is None:
                leg.result = "answered"
        return changes

    def hung_up(self, at: datetime, cause: int | None, cause_txt: str) -> CallHungUp:
        """The call's end at `at`; with no `cause` the end was missed, so `at` bounds it only."""
        exact = cause is not None
        answered = next((leg for leg in self.legs.values() if leg.answered), None)
        last = next((leg.result for leg in reversed(self.legs.values()) if leg.result), None)
        first_ring = min((leg.rang_at for leg in self.legs.values() if leg.rang_at), default=None)
        if answered is None:
            ring_end, talk_end = self._ring_end(at if exact else None), None
        else:
            ring_end = answered.ended_at
            talk_end = answered.hung_up_at or (at if exact and not answered.gone else None)
        return CallHungUp(
            call_uniqueid=self.uniqueid,
            call_id=self.call_id,
            at=at,
            cause=cause,
            cause_txt=cause_txt,
            outcome=outcome(answered is not None, last),
            answered_channel=answered.channel if answered else None,
            answered_target=answered.target if answered else None,
            answered_at=answered.ended_at if answered else None,
            ring_seconds=_seconds(first_ring, ring_end),
            talk_seconds=_seconds(answered.ended_at if answered else None, talk_end),
            agi_live=self.agi_live,
        )

    def _ring_end(self, fallback: datetime | None) -> datetime | None:
        """When the last ring stopped; `fallback` (the hang-up) if a leg was still ringing."""
        ends = [leg.ended_at for leg in self.legs.values() if leg.ended_at is not None]
        ringing = any(leg.result is None and not leg.gone for leg in self.legs.values())
        return fallback if ringing else max(ends, default=None)


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else max(0.0, (end - start).total_seconds())
