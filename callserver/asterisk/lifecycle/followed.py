"""The calls the AGI side asks the tracker to follow, and the hang-ups held for their sessions.

The AGI-facing half of the `Tracker`, which extends it with the AMI events; pure like it.
The AGI side says which calls to follow: `expect` when a call starts (the caller
channel's Uniqueid, the call record's id, the number and campaign), `target_for` before each
Dial (dial string -> target name) and `release` once its session is over. Asterisk destroys
the caller's channel (its Hangup) only after the dialplan, AGI included, has returned, so an
`expect` made during the session always comes first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from callserver.asterisk.lifecycle.changes import CallHungUp
from callserver.asterisk.lifecycle.dialstrings import target_of
from callserver.asterisk.lifecycle.state import CallState


class FollowedCalls:
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

    def _finish(
        self, call: CallState, at: datetime, cause: int | None, cause_txt: str
    ) -> CallHungUp:
        del self._calls[call.uniqueid]
        hung_up = call.hung_up(at, cause, cause_txt)
        if call.agi_live:
            self._held[call.uniqueid] = hung_up
        return hung_up
