"""Follows calls through AMI events: who rang, who answered, for how long, and how it ended.

Pure: events and channel listings come in as values, the time from the event itself or from
the caller's `now`, and what was learnt goes out as `changes`. No I/O, no clock.

The AGI side says which calls to follow: `expect` when a call starts (the caller channel's
Uniqueid, the call record's id, the number and campaign), `target_for` before each Dial (dial
string -> target name) and `release` once its session is over. Asterisk destroys the caller's
channel (its Hangup) only after the dialplan, AGI included, has returned, so an `expect` made
during the session always comes first.

Legs are matched to their call by DialBegin (caller Uniqueid -> DestUniqueid), so a call is
followed whatever its Linkedid; a channel listing (after a reconnect) is matched by Linkedid.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from callserver.asterisk.ami.wire import AmiMessage
from callserver.asterisk.lifecycle.changes import (
    Adopted,
    Answered,
    Bridged,
    CallHungUp,
    Change,
    DialEnded,
    LegHungUp,
    Ringing,
)
from callserver.asterisk.lifecycle.dialstrings import target_of
from callserver.asterisk.lifecycle.state import CallState, Leg
from callserver.asterisk.lifecycle.words import cause_word, dial_word


class Tracker:
    def __init__(self) -> None:
        self._calls: dict[str, CallState] = {}
        self._held: dict[str, CallHungUp] = {}  # hung up while the AGI session held them

    def expect(
        self,
        uniqueid: str,
        call_id: str,
        number: str | None,
        campaign: str | None,
        *,
        agi_live: bool = True,
    ) -> None:
        """Follow the call whose caller channel is `uniqueid` (or name one found live)."""
        if uniqueid in self._held:
            return
        call = self._calls.setdefault(uniqueid, CallState(uniqueid))
        call.call_id, call.number, call.campaign = call_id, number, campaign
        call.agi_live = agi_live

    def target_for(self, uniqueid: str, dials: Mapping[str, str]) -> None:
        """Dial strings about to be dialled for the call, each with its target's name; legs
        found unnamed (in a listing, for a call adopted after a restart) are named by them."""
        if (call := self._calls.get(uniqueid)) is not None:
            call.dials.update(dials)
            for leg in call.legs.values():
                if leg.target is None:
                    leg.target = target_of(call.dials, "", leg.channel)

    def release(self, uniqueid: str) -> CallHungUp | None:
        """The AGI session is over; returns the call's hang-up if AMI saw it meanwhile."""
        if (call := self._calls.get(uniqueid)) is not None:
            call.agi_live = False
        held = self._held.pop(uniqueid, None)
        return None if held is None else replace(held, agi_live=False)

    def forget(self, uniqueid: str) -> None:
        """Stop following a call (one adopted from a listing that is not ours)."""
        self._calls.pop(uniqueid, None)

    def followed(self) -> frozenset[str]:
        """The caller channels whose end AMI will still report here (or holds for its AGI
        session): an interrupted call not among them after `reconcile` is never settled by AMI."""
        return frozenset(self._calls) | frozenset(self._held)

    def live(self) -> Counter[str]:
        """Calls in progress per `number:E164` and `campaign:NAME` (from `expect` to the
        caller's hang-up) and per `target:NAME` (from its leg's answer to that leg's hang-up)."""
        return Counter(scope for call in self._calls.values() for scope in call.scopes())

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

    def _finish(
        self, call: CallState, at: datetime, cause: int | None, cause_txt: str
    ) -> CallHungUp:
        del self._calls[call.uniqueid]
        hung_up = call.hung_up(at, cause, cause_txt)
        if call.agi_live:
            self._held[call.uniqueid] = hung_up
        return hung_up


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
