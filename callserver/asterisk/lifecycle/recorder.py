"""The tracker's edge: AMI events in, call events and call-row facts out, through the store.

`on_event` and `on_reconnect` are AmiClient's callbacks; `session_ended` is the AGI side's,
called once its flow has completed the call row. An event that teaches the tracker nothing
(most of them) costs no store hop; one that does costs one write.

The AGI flow owns a call's status and AMI adds facts (hang-up cause, ring and talk seconds,
who answered). When the AGI session is gone (ended, crashed, or from before a restart) and
the row is still 'in-progress' or 'interrupted', AMI's hang-up completes it instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from callserver.asterisk.ami.wire import AmiMessage
from callserver.asterisk.lifecycle.changes import Adopted, CallHungUp, Change
from callserver.asterisk.lifecycle.tracker import Tracker
from callserver.store import calls, events
from callserver.store.calls import Call, CallEnd, CallStatus
from callserver.store.db import Store
from callserver.store.events import CallEvent

Clock = Callable[[], datetime]
_NOT_DATA = frozenset({"call_id", "at", "agi_live"})


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LifecycleRecorder:
    def __init__(self, store: Store, tracker: Tracker, *, clock: Clock = _utc_now) -> None:
        self.store, self.tracker, self._clock = store, tracker, clock

    async def on_event(self, message: AmiMessage) -> None:
        await self._record(self.tracker.feed(message, self._clock()))

    async def on_reconnect(self, channels: tuple[AmiMessage, ...]) -> None:
        """Reconcile with Asterisk's channels; calls found live are named from the store."""
        changes = self.tracker.reconcile(channels, self._clock())
        adopted = [c.call_uniqueid for c in changes if isinstance(c, Adopted)]
        if adopted:
            found = await self.store.read(_by_uniqueid, adopted)
            for uniqueid in adopted:
                call = found.get(uniqueid)
                if call is None:
                    self.tracker.forget(uniqueid)
                else:
                    self.tracker.expect(
                        uniqueid, call.id, call.number, call.campaign, agi_live=False
                    )
        await self._record(changes)

    async def session_ended(self, uniqueid: str) -> None:
        """The AGI session of the call is over: AMI's word on its end may now be written."""
        hung_up = self.tracker.release(uniqueid)
        if hung_up is not None and hung_up.call_id is not None:
            await self.store.write(settle, hung_up.call_id, hung_up, durable=True)

    async def _record(self, changes: Sequence[Change]) -> None:
        if any(change.call_id is not None for change in changes):
            durable = any(isinstance(change, CallHungUp) for change in changes)
            await self.store.write(record, changes, durable=durable)


def record(conn: sqlite3.Connection, changes: Iterable[Change]) -> None:
    """Append each change to its call's events; settle hang-ups the AGI side no longer holds."""
    for change in changes:
        if change.call_id is None:
            continue
        events.append(conn, CallEvent(change.call_id, change.at, change.kind, event_data(change)))
        if isinstance(change, CallHungUp) and not change.agi_live:
            settle(conn, change.call_id, change)


def settle(conn: sqlite3.Connection, call_id: str, hung_up: CallHungUp) -> None:
    """Complete the call from what AMI saw if nobody has; otherwise add AMI's facts to it."""
    end = CallEnd(
        status=CallStatus(hung_up.outcome),
        ended_at=hung_up.at,
        answered_at=hung_up.answered_at,
        ring_seconds=hung_up.ring_seconds,
        talk_seconds=hung_up.talk_seconds,
        answered_target=hung_up.answered_target,
        hangup_cause=None if hung_up.cause is None else str(hung_up.cause),
    )
    if not calls.complete(conn, call_id, end):
        calls.set_hangup(conn, call_id, end)


def event_data(change: Change) -> dict[str, Any]:
    """A change's fields as JSON values, without those the event row holds itself."""
    data = {f.name: getattr(change, f.name) for f in fields(change) if f.name not in _NOT_DATA}
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


def _by_uniqueid(conn: sqlite3.Connection, uniqueids: Iterable[str]) -> dict[str, Call]:
    found = {uniqueid: calls.find_by_uniqueid(conn, uniqueid) for uniqueid in uniqueids}
    return {uniqueid: call for uniqueid, call in found.items() if call is not None}
