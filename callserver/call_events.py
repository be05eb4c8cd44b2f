"""The store writes of a call's life, shared by the Asterisk edge and `simulate --record`.

Each is one function run inside one store write: the call-row change and the outbox rows of the
event it reports commit together or not at all, so a webhook is never sent for a call the
store does not hold, and a stored call never misses its webhook. A test call (from
`monitor.caller_id`, `probe.test_calls`) is recorded alike but joins no visitor session and
enqueues nothing: the customer's CRM and analytics never hear of it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from callserver.asterisk.call_counts import Scope, Stored, read_counts
from callserver.attribution.calls import attribute
from callserver.attribution.credited import credited
from callserver.call_money import with_money
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.conversion import repeat_since
from callserver.flow_trace import CallResult
from callserver.probe.test_calls import TEST_REASON, is_test_call
from callserver.store import calls, cut_off, leases, session_leases, sessions
from callserver.store.call_values import Call, CallEnd, CallStatus, FlowNotes
from callserver.store.repeat_callers import called_before
from callserver.store.sessions import VisitorSession
from callserver.webhooks.enqueue import enqueue_for_call


@dataclass(frozen=True)
class Started:
    """The calls each cap scope took before this one, and the number's settings as credited
    to this call (`attribution.credited`): what its flow, its end and its webhooks read."""

    counts: Stored
    view: NumberView


def start_call(conn: sqlite3.Connection, config: ResolvedConfig, view: NumberView, call: Call,
               scopes: Sequence[Scope], now: datetime,
               env: Mapping[str, str] = os.environ) -> Started:
    """Attribute the call, write its row and its `call.started` deliveries."""
    counts = read_counts(conn, scopes, now)
    if is_test_call(config, call.caller):
        calls.start(conn, replace(call, test=True, attribution=TEST_REASON))
        return Started(counts, view)
    settings = config.model.attribution
    touches = session_leases.touches_for_number(conn, view.number) if view.role == "pool" else []
    found = attribute(view, touches, now, timedelta(seconds=settings.grace_s),
                      timedelta(seconds=settings.merge_window_s))
    session = None if found.session_id is None else sessions.get(conn, found.session_id)
    view = credited(config, view, found.source, session.captured if session else {})
    call = replace(call, session_id=found.session_id, source=view.source,
                   attribution=found.reason, merged=found.merged, tags=dict(view.tags),
                   sub_id=view.sub_id, publisher=view.publisher)
    calls.start(conn, call)
    _announce(conn, config, view, call, session, "call.started", now, env)
    return Started(counts, view)


def end_call(conn: sqlite3.Connection, config: ResolvedConfig, view: NumberView, call_id: str,
             end: CallEnd, result: CallResult | None = None,
             env: Mapping[str, str] = os.environ) -> bool:
    """Complete the row (with what the flow learnt, if it got that far) and enqueue the events
    its end makes: `call.answered`, `call.completed`, `call.converted`, with the money it
    earned (`call_money`: after the repeat-caller rule, for the publisher the row credits).
    True only for the completion that took effect: a call already completed (by the flow, by
    AMI, or twice) enqueues nothing again. `interrupted` is no end yet: the row closes, but
    its events wait for the end AMI may still learn, or for `give_up_calls`, so they are sent
    once."""
    learnt = None if result is None else FlowNotes(result.ivr_path, result.tags, result.trace)
    stored = calls.get(conn, call_id)
    if stored is not None:
        if end.converted and _repeat(conn, view, stored):
            end = replace(end, converted=False)
        end = with_money(config.model, stored, end)
    call = calls.finish(conn, call_id, end, learnt)
    if call is None:
        return False
    events = [] if end.status is CallStatus.INTERRUPTED else _events(end)
    session = None if call.session_id is None or not events else sessions.get(conn, call.session_id)
    for event in events:
        _announce(conn, config, view, call, session, event, end.ended_at, env)
    pool = config.model.campaigns[view.campaign].pools.get(view.pool or "")
    if pool is not None and pool.release_after_call and call.session_id is not None:
        leases.release(conn, view.number, end.ended_at, call.session_id)
    return True


def _repeat(conn: sqlite3.Connection, view: NumberView, call: Call) -> bool:
    """Whether the call is a repeat under `conversion.repeat_within_days` (read only when the
    campaign has that rule and the call would otherwise convert)."""
    if view.conversion.repeat_within_days is None:
        return False
    since = repeat_since(view.conversion, call.caller, call.started_at)
    return since is not None and called_before(conn, view.campaign, call.caller, since,
                                               call.id, call.started_at)


def give_up_calls(conn: sqlite3.Connection, config: ResolvedConfig, now: datetime,
                  followed: Collection[str] = (), ended_before: datetime | None = None,
                  env: Mapping[str, str] = os.environ) -> list[str]:
    """Settle as `interrupted` the interrupted calls AMI can no longer report (`cut_off.give_up`)
    and enqueue their endings (`call.completed`) in this write, which only one node's takes
    effect for each call; returns their ids. A number gone from the config sends nothing."""
    given_up = cut_off.give_up(conn, now, followed, ended_before)
    for call in given_up:
        view = config.lookup(call.number)
        if view is None or call.end is None:
            continue
        session = None if call.session_id is None else sessions.get(conn, call.session_id)
        for event in _events(call.end):
            _announce(conn, config, view, call, session, event, now, env)
    return [call.id for call in given_up]


def _announce(conn: sqlite3.Connection, config: ResolvedConfig, view: NumberView, call: Call,
              session: VisitorSession | None, event: str, now: datetime,
              env: Mapping[str, str]) -> None:
    """The event's webhook and analytics deliveries; none for a test call."""
    if not call.test:
        enqueue_for_call(conn, config, view, call, session, event, now, env)


def _events(end: CallEnd) -> list[str]:
    answered = ["call.answered"] if end.status is CallStatus.ANSWERED else []
    converted = ["call.converted"] if end.converted else []
    return [*answered, "call.completed", *converted]

