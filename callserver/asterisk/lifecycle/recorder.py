"""The tracker's edge: AMI events in, call events and call-row facts out, through the store.

`on_event` and `on_reconnect` are AmiClient's callbacks; `session_ended` is the AGI side's,
called once its flow has completed the call row. An event that teaches the tracker nothing
(most of them) costs no store hop; one that does costs one write.

The AGI flow owns a call's status and AMI adds facts (hang-up cause, ring and talk seconds,
who answered). When the AGI session is gone (ended, crashed, or from before a restart) and
the row is still 'in-progress' or 'interrupted', AMI's hang-up completes it instead, through
the same `end_call` as the flow, so the same webhooks go out, in the same write, and once:
whichever completion takes effect first is the only one that enqueues. An interrupted call that
AMI will never report (its channel gone when AMI reconnects, or when the client resyncs after
the heartbeat closed a dead node's calls) is settled as interrupted then, with its endings, in
the write that records the listing (`reconciled`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from callserver.asterisk.ami.wire import AmiMessage
from callserver.asterisk.lifecycle.changes import Adopted, CallHungUp, Change
from callserver.asterisk.lifecycle.tracker import Tracker
from callserver.call_events import end_call, give_up_calls
from callserver.call_record import settled
from callserver.config.resolve import ResolvedConfig
from callserver.routing.dial import targets_by_dial
from callserver.store import calls, cut_off, events
from callserver.store.call_values import COMPLETABLE, Call, CallEnd, CallStatus
from callserver.store.events import CallEvent
from callserver.store.open import AnyStore

Clock = Callable[[], datetime]
Config = Callable[[], ResolvedConfig]
_NOT_DATA = frozenset({"call_id", "at", "agi_live"})


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LifecycleRecorder:
    """`config` gives the live config, whose webhooks a call AMI completes sends; without it
    (a bare store, in tests) such a call is completed and nothing is enqueued."""

    def __init__(self, store: AnyStore, tracker: Tracker, *, clock: Clock = _utc_now,
                 config: Config | None = None) -> None:
        self.store, self.tracker, self._clock, self._config = store, tracker, clock, config

    async def on_event(self, message: AmiMessage) -> None:
        await self._record(self.tracker.feed(message, self._clock()))

    async def on_reconnect(self, channels: tuple[AmiMessage, ...]) -> None:
        """Reconcile with Asterisk's channels (after a reconnect, or a resync once another
        node's calls were closed); calls found live are named from the store, and interrupted
        calls not followed then are settled: no hang-up of theirs is to come.

        A call found live but still in progress is another node's, whose AGI session owns its
        end (this node follows its own from before their rows are written): it is left alone
        until a sweep closes it as interrupted and the resync that follows adopts it."""
        now = self._clock()
        changes = self.tracker.reconcile(channels, now)
        adopted = [c.call_uniqueid for c in changes if isinstance(c, Adopted)]
        if adopted:
            found = await self.store.read(_by_uniqueid, adopted)
            for uniqueid in adopted:
                call = found.get(uniqueid)
                if call is None or call.status is CallStatus.IN_PROGRESS:
                    self.tracker.forget(uniqueid)
                else:
                    self.tracker.expect(
                        uniqueid, call.id, call.number, call.campaign, agi_live=False
                    )
                    self._name_targets(uniqueid)
        await self.store.write(reconciled, changes, self.tracker.followed(), now,
                               self._current(), durable=True)

    async def session_ended(self, uniqueid: str) -> None:
        """The AGI session of the call is over: AMI's word on its end may now be written."""
        hung_up = self.tracker.release(uniqueid)
        if hung_up is not None and hung_up.call_id is not None:
            await self.store.write(settle, hung_up.call_id, hung_up, self._current(),
                                   durable=True)

    async def _record(self, changes: Sequence[Change]) -> None:
        if any(change.call_id is not None for change in changes):
            durable = any(isinstance(change, CallHungUp) for change in changes)
            await self.store.write(record, changes, self._current(), durable=durable)

    def _name_targets(self, uniqueid: str) -> None:
        """Which dial string is which target, for a call whose AGI session (which says so)
        was lost: any target of the config may be the one it rang."""
        if (config := self._current()) is not None:
            self.tracker.target_for(uniqueid, targets_by_dial(config.model.targets,
                                                              config.model.trunk))

    def _current(self) -> ResolvedConfig | None:
        return None if self._config is None else self._config()


def record(conn: sqlite3.Connection, changes: Iterable[Change],
           config: ResolvedConfig | None = None) -> None:
    """Append each change to its call's events; settle hang-ups the AGI side no longer holds."""
    for change in changes:
        if change.call_id is None:
            continue
        events.append(conn, CallEvent(change.call_id, change.at, change.kind, event_data(change)))
        if isinstance(change, CallHungUp) and not change.agi_live:
            settle(conn, change.call_id, change, config)


def reconciled(conn: sqlite3.Connection, changes: Iterable[Change], followed: Collection[str],
               now: datetime, config: ResolvedConfig | None = None) -> None:
    """`record` what a channel listing taught, then settle the interrupted calls that are not
    `followed` (with their webhooks, when there is a `config`)."""
    record(conn, changes, config)
    if config is None:
        cut_off.give_up(conn, now, followed)
    else:
        give_up_calls(conn, config, now, followed)


def settle(conn: sqlite3.Connection, call_id: str, hung_up: CallHungUp,
           config: ResolvedConfig | None = None) -> None:
    """Complete the call from what AMI saw if nobody has (with its webhooks, when its number
    is in `config`); otherwise add AMI's facts to it."""
    end = CallEnd(
        status=CallStatus(hung_up.outcome),
        ended_at=hung_up.at,
        answered_at=hung_up.answered_at,
        ring_seconds=hung_up.ring_seconds,
        talk_seconds=hung_up.talk_seconds,
        answered_target=hung_up.answered_target,
        hangup_cause=None if hung_up.cause is None else str(hung_up.cause),
    )
    call = calls.get(conn, call_id)
    view = None if call is None or config is None else config.lookup(call.number)
    if call is None or call.status not in COMPLETABLE:
        completed = False
    elif config is None or view is None:
        completed = calls.complete(conn, call_id, end)
    else:
        completed = end_call(conn, config, view, call_id, settled(config, view, call, end))
    if not completed:
        calls.set_hangup(conn, call_id, end)


def event_data(change: Change) -> dict[str, Any]:
    """A change's fields as JSON values, without those the event row holds itself."""
    data = {f.name: getattr(change, f.name) for f in fields(change) if f.name not in _NOT_DATA}
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


def _by_uniqueid(conn: sqlite3.Connection, uniqueids: Iterable[str]) -> dict[str, Call]:
    found = {uniqueid: calls.find_by_uniqueid(conn, uniqueid) for uniqueid in uniqueids}
    return {uniqueid: call for uniqueid, call in found.items() if call is not None}
