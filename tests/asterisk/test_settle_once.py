"""Whichever side completes a call, its ending webhooks are enqueued once, in that write.

The recorder over a real SQLite store and a real config, fed the answered call's AMI transcript;
the outbox rows are what the webhook worker would send.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callserver.asterisk.ami.wire import AmiMessage
from callserver.asterisk.lifecycle import LifecycleRecorder, Tracker
from callserver.call_events import end_call, start_call
from callserver.call_record import opened
from callserver.config.loader import parse_config
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.store import Store, calls
from callserver.store.call_values import CallEnd, CallStatus
from tests.asterisk.lifecycle_transcripts import caller_uniqueid, load
from tests.asterisk.webhook_config import CONFIG

NOW = datetime(2026, 3, 2, 15, 4, 5, tzinfo=UTC)


@pytest.fixture
def config(tmp_path: Path) -> ResolvedConfig:
    text = CONFIG.replace("BASE", "https://crm.example.com")
    return parse_config(text, "callserver.yaml", tmp_path / "callserver.yaml")


async def begin(store: Store, config: ResolvedConfig, uniqueid: str) -> tuple[NumberView, str]:
    """What the AGI side does first: the row and its `call.started`, in one write."""
    view = config.lookup("+18005550101")
    assert view is not None
    row = opened("call-1", view, "+13125550123", NOW, uniqueid=uniqueid, linkedid=uniqueid)
    await store.write(start_call, config, view, row, [], NOW, durable=True)
    return view, row.id


async def outbox(store: Store) -> Counter[str]:
    rows = await store.read(lambda conn: list(conn.execute("SELECT event FROM webhook_outbox")))
    return Counter(event for (event,) in rows)


async def interrupted(store: Store, config: ResolvedConfig
                      ) -> tuple[list[AmiMessage], str, NumberView, str]:
    """The answered transcript's call, begun and then closed as interrupted, as callserver
    stopping mid-call closes it (no ending is known yet): the transcript, its caller's
    Uniqueid, the number and the call id."""
    messages = load("answered.ami")
    uniqueid = caller_uniqueid(messages)
    view, call_id = await begin(store, config, uniqueid)
    stopped = CallEnd(status=CallStatus.INTERRUPTED, ended_at=NOW + timedelta(seconds=5))
    assert await store.write(end_call, config, view, call_id, stopped, durable=True)
    return messages, uniqueid, view, call_id


def recorder(store: Store, config: ResolvedConfig) -> LifecycleRecorder:
    return LifecycleRecorder(store, Tracker(), clock=lambda: NOW, config=lambda: config)


async def test_an_interrupted_call_sends_its_endings_once_ami_completes_it(
        store: Store, config: ResolvedConfig) -> None:
    messages, uniqueid, view, call_id = await interrupted(store, config)
    assert await outbox(store) == Counter({"call.started": 1})

    watching = recorder(store, config)  # the next process, following the call after its restart
    watching.tracker.expect(uniqueid, call_id, view.number, view.campaign, agi_live=False)
    for message in messages:
        await watching.on_event(message)
    done = await store.read(calls.get, call_id)
    assert done is not None and done.status is CallStatus.ANSWERED
    for message in messages:  # the same events again (a second node, a replay)
        await watching.on_event(message)

    assert done.end is not None and done.end.converted  # AMI measured 95 s of talk
    assert await outbox(store) == Counter({"call.started": 1, "call.answered": 1,
                                           "call.completed": 1, "call.converted": 1})


async def test_ami_after_the_flow_adds_facts_and_enqueues_nothing(
        store: Store, config: ResolvedConfig) -> None:
    messages = load("answered.ami")
    uniqueid = caller_uniqueid(messages)
    view, call_id = await begin(store, config, uniqueid)
    watching = recorder(store, config)
    watching.tracker.expect(uniqueid, call_id, view.number, view.campaign)
    for message in messages:  # AMI's hang-up arrives while the AGI session still holds it
        await watching.on_event(message)
    flow_says = CallEnd(status=CallStatus.ANSWERED, ended_at=NOW + timedelta(minutes=2),
                        talk_seconds=94.0, answered_target="sales", converted=True)
    assert await store.write(end_call, config, view, call_id, flow_says, durable=True)
    await watching.session_ended(uniqueid)

    done = await store.read(calls.get, call_id)
    assert done is not None and done.end is not None and done.end.hangup_cause == "16"
    assert await outbox(store) == Counter({"call.started": 1, "call.answered": 1,
                                           "call.completed": 1, "call.converted": 1})


async def test_a_call_gone_at_reconnect_ends_once_as_interrupted_and_later_gains_facts_only(
        store: Store, config: ResolvedConfig) -> None:
    messages, uniqueid, view, call_id = await interrupted(store, config)

    watching = recorder(store, config)
    await watching.on_reconnect(())  # Asterisk lists no channel: AMI can never report the call
    await watching.on_reconnect(())  # a second reconnect
    bodies = await store.read(lambda conn: [json.loads(body) for (body,) in conn.execute(
        "SELECT body FROM webhook_outbox WHERE event = 'call.completed'")])
    assert [body["data"]["call"]["status"] for body in bodies] == ["interrupted"]

    watching.tracker.expect(uniqueid, call_id, view.number, view.campaign, agi_live=False)
    for message in messages:  # a hang-up seen late (by a node that still followed the call)
        await watching.on_event(message)
    done = await store.read(calls.get, call_id)
    assert done is not None and done.end is not None
    assert (done.status, done.end.hangup_cause) == (CallStatus.INTERRUPTED, "16")
    assert await outbox(store) == Counter({"call.started": 1, "call.completed": 1})
