"""Follows calls through AMI events: who rang, who answered, for how long, and how it ended.

Pure: events and channel listings come in as values, the time from the event itself or from
the caller's `now`, and what was learnt goes out as `changes`. No I/O, no clock. Which calls
to follow, and the hang-ups held for their AGI sessions, are the `FollowedCalls` it extends.

Legs are matched to their call by DialBegin (caller Uniqueid -> DestUniqueid), so a call is
followed whatever its Linkedid; a channel listing (after a reconnect) is matched by Linkedid.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from callserver.asterisk.ami.wire import AmiMessage
from callserver.asterisk.lifecycle.changes import (
    Adopted,
    Answered,
    Bridged,
    Change,
    DialEnded,
    LegHungUp,
    Ringing,
)
from callserver.asterisk.lifecycle.dialstrings import target_of
from callserver.asterisk.lifecycle.followed import FollowedCalls
from callserver.asterisk.lifecycle.state import CallState, Leg
from callserver.asterisk.lifecycle.words import cause_word, dial_word


class Tracker(FollowedCalls):
    def feed(self, message: AmiMessage, now: datetime) -> tuple[Change, ...]:
        handle = _HANDLERS.get(message.event or "")
        return () if handle is None else handle(self, message, event_time(message, now))

    def reconcile(self, channels: Iterable[AmiMessage], now: datetime) -> tuple[Change, ...]:
        """Catch up with Asterisk's channels (CoreShowChannel events) after a reconnect.

        Calls whose caller channel is gone end with an unknown cause; their legs are matched
        to the listing (`CallState.catch_up`); calls nobody expected are adopted (`Adopted`)
        for the caller to name with `expect(..., agi_live=False)` or to `forget`.
        """
        listed = {channel.get("Uniqueid"): channel for channel in channels}
        changes: list[Change] = []
        for call in list(self._calls.values()):
            if call.uniqueid in listed:
                call.linkedid = listed[call.uniqueid].get("Linkedid") or call.linkedid
                changes += call.catch_up(listed, now)
            else:
                changes.append(self._finish(call, now, None, ""))
        for uniqueid, channel in listed.items():
            if uniqueid == channel.get("Linkedid") and uniqueid not in self._calls:
                self._calls[uniqueid] = CallState(uniqueid)
                self._calls[uniqueid].catch_up(listed, now)
                changes.append(Adopted(uniqueid, None, now, channel.get("Channel")))
        return tuple(changes)

    def _dial_begin(self, message: AmiMessage, at: datetime) -> tuple[Change, ...]:
        call = self._calls.get(message.get("Uniqueid"))
        if call is None:
            return ()
        call.linkedid = message.get("Linkedid") or call.linkedid
        channel = message.get("DestChannel")
        target = target_of(call.dials, message.get("DialString"), channel)
        leg = call.legs[message.get("DestUniqueid")] = Leg(channel, target, rang_at=at)
        return (Ringing(*call.about(leg, at)),)

    def _dial_end(self, message: AmiMessage, at: datetime) -> tuple[Change, ...]:
        call = self._calls.get(message.get("Uniqueid"))
        leg = None if call is None else call.legs.get(message.get("DestUniqueid"))
        if call is None or leg is None or leg.result is not None:
            return ()
        leg.result, leg.ended_at = dial_word(message.get("DialStatus")), at
        if leg.answered:
            rang = None if leg.rang_at is None else (at - leg.rang_at).total_seconds()
            return (Answered(*call.about(leg, at), ring_seconds=rang),)
        return (DialEnded(*call.about(leg, at), status=leg.result),)

    def _bridge_enter(self, message: AmiMessage, at: datetime) -> tuple[Change, ...]:
        call, leg = self._leg(message.get("Uniqueid"))
        if call is None or leg is None:
            return ()
        return (Bridged(*call.about(leg, at), bridge_id=message.get("BridgeUniqueid")),)

    def _hangup(self, message: AmiMessage, at: datetime) -> tuple[Change, ...]:
        uniqueid, cause_txt = message.get("Uniqueid"), message.get("Cause-txt")
        cause = _cause(message.get("Cause"))
        if (call := self._calls.get(uniqueid)) is not None:
            return (self._finish(call, at, cause, cause_txt),)
        call, leg = self._leg(uniqueid)
        if call is None or leg is None:
            return ()
        leg.gone, leg.hung_up_at = True, at
        if leg.answered:
            return (LegHungUp(*call.about(leg, at), cause=cause, cause_txt=cause_txt),)
        if leg.result is None:
            leg.result, leg.ended_at = cause_word(cause), at
            return (DialEnded(*call.about(leg, at), status=leg.result),)
        return ()

    def _leg(self, uniqueid: str) -> tuple[CallState | None, Leg | None]:
        """The call a live leg belongs to, and the leg (a few hundred lookups at most)."""
        for call in self._calls.values():
            leg = call.legs.get(uniqueid)
            if leg is not None and not leg.gone:
                return call, leg
        return None, None


_HANDLERS = {
    "DialBegin": Tracker._dial_begin,
    "DialEnd": Tracker._dial_end,
    "BridgeEnter": Tracker._bridge_enter,
    "Hangup": Tracker._hangup,
}


def event_time(message: AmiMessage, now: datetime) -> datetime:
    """The event's `Timestamp` (epoch seconds, read exactly to the microsecond), else `now`."""
    whole, _, fraction = message.get("Timestamp").partition(".")
    if not whole.isdigit() or not (fraction == "" or fraction.isdigit()):
        return now
    micros = int(fraction[:6].ljust(6, "0")) if fraction else 0
    return datetime.fromtimestamp(int(whole), UTC) + timedelta(microseconds=micros)


def _cause(text: str) -> int | None:
    return int(text) if text.isdigit() else None
