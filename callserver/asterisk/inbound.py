"""`AGI(agi://HOST:4573/inbound)`: a call to a tracked number, from first byte to call record.

The record is written before anything is dialled and completed from the flow's outcome, so a
caller who hangs up, a dropped connection, or an error inside the flow still leaves a whole
record; a crash leaves one the next start marks `interrupted`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from callserver import logs
from callserver.asterisk import channel_vars
from callserver.asterisk.agi.connection import Handler
from callserver.asterisk.agi.errors import ChannelGone
from callserver.asterisk.agi.session import AgiSession
from callserver.asterisk.agi_channel import AgiChannel
from callserver.asterisk.call_counts import counts_from, scopes_for
from callserver.asterisk.lifecycle.recorder import LifecycleRecorder
from callserver.asterisk.live_calls import LiveCalls
from callserver.asterisk.target_holds import TargetHolds, concurrency_limits
from callserver.call_events import end_call, start_call
from callserver.call_record import closed, opened, recording_path, voicemail_dir
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.flow import run_call
from callserver.live import LiveConfig
from callserver.numbers.stray import record_stray, stray_call
from callserver.probe.test_calls import is_test_call
from callserver.routing.context import normal_number
from callserver.routing.dial import targets_by_dial
from callserver.store.call_values import CallEnd, CallStatus
from callserver.store.open import AnyStore

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class InboundDeps:
    live: LiveConfig
    store: AnyStore
    calls_now: LiveCalls
    clock: Clock
    recorder: LifecycleRecorder
    ami_connected: Callable[[], bool]
    node: str | None = None  # written on each call row: whose calls a start-up may close


def inbound_handler(deps: InboundDeps) -> Handler:
    async def handle(session: AgiSession) -> None:
        call_id = str(uuid.uuid4())
        token = logs.call_id.set(call_id)
        try:
            await _handle(deps, session, call_id)
        finally:
            logs.call_id.reset(token)

    return handle


async def _handle(deps: InboundDeps, session: AgiSession, call_id: str) -> None:
    config = deps.live.current  # this call keeps this config even if a reload happens
    env = session.env
    now = deps.clock()
    # EXTEN is what the dialplan matched; DNID helps when the call arrived at `s`.
    view = config.lookup(env.extension) or config.lookup(env.dnid or "")
    caller = normal_number(env.callerid or "anonymous")
    if view is None:
        await _unknown(deps, session, call_id, caller, now, is_test_call(config, caller))
        return
    call = _Call(deps, session, config, view, call_id)
    tracker = deps.recorder.tracker
    tracker.expect(env.uniqueid, call_id, view.number, view.campaign)
    tracker.target_for(env.uniqueid, call.dials)
    try:
        await call.run(caller, now)
    finally:
        await deps.recorder.session_ended(env.uniqueid)


class _Call:
    """One tracked call on this node: its record, its holds on targets, its flow."""

    def __init__(self, deps: InboundDeps, session: AgiSession, config: ResolvedConfig,
                 view: NumberView, call_id: str) -> None:
        self.deps, self.session, self.config, self.view = deps, session, config, view
        self.call_id = call_id
        self.dials = targets_by_dial(config.model.targets, config.model.trunk)

    async def run(self, caller: str, now: datetime) -> None:
        deps, view, env = self.deps, self.view, self.session.env
        row = opened(self.call_id, view, caller, now, uniqueid=env.uniqueid,
                     linkedid=env.linkedid, node=deps.node)
        started = await deps.store.write(start_call, self.config, view, row,
                                         scopes_for(self.config, view), now, durable=True)
        view = self.view = started.view  # with the source the call is credited to
        # The store counts every node's calls; AMI also sees calls adopted after a restart.
        # The round-robin turns are this node's own: the flow takes its turn as it plans.
        counts = counts_from(started.counts, deps.calls_now.rotations, self._pbx_wide(),
                             [f"number:{view.number}", f"campaign:{view.campaign}"])
        log.info("call to %s (%s) from %s", view.number, view.campaign, caller)
        holds = TargetHolds(deps.store, self.call_id,
                            concurrency_limits(self.config.model.targets), deps.clock,
                            self._pbx_wide)
        channel = AgiChannel(self.session, recording_path(self.config, view, self.call_id),
                             voicemail_dir(self.config), holds, self.dials)
        try:
            result = await run_call(channel, self.config, view, call_id=self.call_id,
                                    caller=caller, now=now, counts=counts)
        except asyncio.CancelledError:  # callserver is stopping mid-call
            await self._close(CallStatus.INTERRUPTED)
            raise
        except Exception:  # a bug: the record still closes; the error reaches the server log
            await self._close(CallStatus.FAILED)
            raise
        end = closed(self.config, view, self.call_id, result, deps.clock())
        # The dialplan hears the outcome while the end commits; the session (and with it the
        # channel) is handed back only once the record is complete.
        ending = asyncio.ensure_future(deps.store.write(end_call, self.config, view,
                                                        self.call_id, end, result, durable=True))
        log.info("call ended: %s (%s)", result.outcome, result.trace["reason"])
        try:
            await _tell_dialplan(self.session, result.outcome)
        finally:
            await asyncio.shield(ending)

    def _pbx_wide(self) -> Mapping[str, int]:
        """Calls in progress by scope as AMI sees them on the PBX (none while it is away)."""
        return self.deps.recorder.tracker.live() if self.deps.ami_connected() else {}

    async def _close(self, status: CallStatus) -> None:
        end = CallEnd(status=status, ended_at=self.deps.clock())
        await asyncio.shield(self.deps.store.write(end_call, self.config, self.view,
                                                   self.call_id, end, durable=True))


async def _unknown(deps: InboundDeps, session: AgiSession, call_id: str, caller: str,
                   now: datetime, test: bool) -> None:
    """`test`: the monitor called a number the config does not route (kept out of reports)."""
    env = session.env
    call = stray_call(call_id, env.extension, caller, now, test=test, uniqueid=env.uniqueid,
                      linkedid=env.linkedid)
    stored = await deps.store.write(record_stray, call, durable=True)
    if stored.campaign is None:
        log.warning("unknown number %r from %s: handed back to the dialplan", env.extension,
                    caller)
    else:
        log.info("call to %s, released from %s, from %s: handed back to the dialplan",
                 stored.number, stored.campaign, caller)
    await _tell_dialplan(session, "unknown-number")


async def _tell_dialplan(session: AgiSession, outcome: str) -> None:
    with contextlib.suppress(ChannelGone):  # a caller who is gone leaves no dialplan to tell
        await session.set_variable(channel_vars.RESULT, outcome)
