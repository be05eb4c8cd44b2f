"""The recorder over a real SQLite store: transcripts and listings handed to it directly, as
AmiClient would, and the call rows and call events it leaves behind."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from callserver.asterisk.ami.wire import AmiMessage
from callserver.asterisk.lifecycle import LifecycleRecorder, Tracker
from callserver.asterisk.lifecycle.tracker import event_time
from callserver.store import Store, calls, cut_off, events
from callserver.store.call_values import Call, CallEnd, CallStatus
from tests.asterisk.lifecycle_transcripts import caller_uniqueid, load
from tests.peers.ami_channels import ChannelTable, Fields

NOW = datetime(2026, 3, 2, 15, 4, 5, tzinfo=UTC)
DIALS = {"PJSIP/sales@pbx": "sales", "PJSIP/cs-buyer-a/sip:buyer@pbx.example.com": "buyer"}


def recorder_for(store: Store) -> LifecycleRecorder:
    return LifecycleRecorder(store, Tracker(), clock=lambda: NOW)


async def started(store: Store, recorder: LifecycleRecorder, uniqueid: str) -> Call:
    """What the AGI side does when a call starts: write the record, then announce it."""
    call = Call("call-1", NOW, "+18005550101", "+13125550123", uniqueid=uniqueid,
                linkedid=uniqueid, campaign="spring")
    await store.write(calls.start, call, durable=True)
    recorder.tracker.expect(uniqueid, call.id, call.number, call.campaign)
    recorder.tracker.target_for(uniqueid, DIALS)
    return call


async def replay(recorder: LifecycleRecorder, messages: list[AmiMessage]) -> None:
    for message in messages:
        await recorder.on_event(message)


async def kinds(store: Store, call_id: str = "call-1") -> list[str]:
    return [event.kind for event in await store.read(events.for_call, call_id)]


async def test_the_agi_flow_decides_the_status_and_ami_adds_its_facts(store: Store) -> None:
    messages = load("answered.ami")
    recorder = recorder_for(store)
    call = await started(store, recorder, caller_uniqueid(messages))

    await replay(recorder, messages)  # the caller hangs up while the AGI session holds the call
    assert (await store.read(calls.get, call.id)) == call
    assert await kinds(store) == ["ringing", "answered", "bridged", "leg-hung-up", "hung-up"]

    flow_says = CallEnd(status=CallStatus.ANSWERED, ended_at=NOW + timedelta(minutes=2),
                        talk_seconds=94.0, answered_target="sales")
    await store.write(calls.complete, call.id, flow_says, durable=True)
    await recorder.session_ended(call.uniqueid or "")

    done = await store.read(calls.get, call.id)
    assert done is not None and done.end is not None
    dial_end = next(m for m in messages if m.event == "DialEnd")
    assert done.end.ring_seconds == pytest.approx(7.0, abs=0.01)
    assert done.end == replace(flow_says, hangup_cause="16", answered_at=event_time(dial_end, NOW),
                               ring_seconds=done.end.ring_seconds)


async def test_when_the_agi_session_is_gone_ami_completes_the_call(store: Store) -> None:
    messages = load("busy.ami")
    recorder = recorder_for(store)
    call = await started(store, recorder, caller_uniqueid(messages))
    await recorder.session_ended(call.uniqueid or "")  # handed back to the dialplan, say

    await replay(recorder, messages)

    done = await store.read(calls.get, call.id)
    assert done is not None and done.end is not None
    assert (done.status, done.end.hangup_cause, done.end.answered_target) == ("busy", "16", None)
    assert done.end.ring_seconds == pytest.approx(0.6, abs=0.01)
    assert await kinds(store) == ["ringing", "dial-ended", "hung-up"]
    hung_up = (await store.read(events.for_call, call.id))[-1]
    assert hung_up.data == {
        "call_uniqueid": call.uniqueid, "cause": 16, "cause_txt": "Normal Clearing",
        "outcome": "busy", "answered_channel": None, "answered_target": None,
        "answered_at": None, "ring_seconds": done.end.ring_seconds, "talk_seconds": None}


async def test_the_same_hangup_twice_or_on_two_nodes_completes_once(store: Store) -> None:
    messages = load("answered.ami")
    first, second = recorder_for(store), recorder_for(store)
    call = await started(store, first, caller_uniqueid(messages))
    second.tracker.expect(call.uniqueid or "", call.id, call.number, call.campaign,
                          agi_live=False)
    await first.session_ended(call.uniqueid or "")

    await replay(first, messages)
    done = await store.read(calls.get, call.id)
    await first.on_event(messages[-1])
    await replay(second, messages[-1:])

    assert done is not None and done.status is CallStatus.ANSWERED
    assert await store.read(calls.get, call.id) == done
    assert (await kinds(store)).count("hung-up") == 2  # one per node; the first completed it


async def test_a_call_from_before_a_restart_is_completed_when_it_hangs_up(store: Store) -> None:
    emitted: list[AmiMessage] = []

    def emit(event: str, fields: Fields) -> None:
        emitted.append(AmiMessage((("Event", event), *fields)))

    table = ChannelTable(emit)
    caller = table.newchannel("PJSIP/carrier-00000001", "+13125550123", "+18005550101")
    agent = table.dial_begin(caller, "PJSIP/pbx-00000002", "sales@pbx")
    table.dial_end(caller, agent, "ANSWER")
    stranger = table.newchannel("PJSIP/office-00000009", "201", "202")
    call = Call("call-1", NOW, "+18005550101", "+13125550123", uniqueid=caller.uniqueid,
                campaign="spring")
    await store.write(calls.start, call, durable=True)
    assert await store.write(cut_off.mark_interrupted, NOW, durable=True) == ["call-1"]

    recorder = recorder_for(store)  # a fresh process: it never saw these calls begin
    listing = tuple(AmiMessage((("Event", "CoreShowChannel"), *c.listing()))
                    for c in table.live.values())
    await recorder.on_reconnect(listing)
    assert recorder.tracker.live() == {"number:+18005550101": 1, "campaign:spring": 1}

    emitted.clear()
    table.hangup(stranger)
    table.hangup(agent)
    table.hangup(caller)
    await replay(recorder, emitted)

    done = await store.read(calls.get, call.id)
    assert done is not None and done.end is not None
    assert (done.status, done.end.hangup_cause, done.end.ended_at) == ("answered", "16", NOW)
    assert done.end.talk_seconds is None  # its answer was before this process: unknown
    assert await kinds(store) == ["leg-hung-up", "hung-up"]
    assert recorder.tracker.live() == {}


async def test_ami_never_gives_a_target_to_a_call_the_flow_saw_unanswered(store: Store) -> None:
    messages = load("answered.ami")
    recorder = recorder_for(store)
    call = await started(store, recorder, caller_uniqueid(messages))
    flow_says = CallEnd(status=CallStatus.NO_ANSWER, ended_at=NOW)
    await store.write(calls.complete, call.id, flow_says, durable=True)
    await recorder.session_ended(call.uniqueid or "")

    await replay(recorder, messages)

    done = await store.read(calls.get, call.id)
    assert done is not None and done.end is not None
    assert (done.status, done.end.answered_target, done.end.talk_seconds) == (
        "no-answer", None, None)
    assert done.end.hangup_cause == "16"
    assert done.end.ring_seconds == pytest.approx(7.0, abs=0.01)


async def test_another_node_s_live_call_is_adopted_only_once_a_sweep_closed_it(
        store: Store) -> None:
    emitted: list[AmiMessage] = []
    table = ChannelTable(lambda event, fields: emitted.append(AmiMessage((("Event", event),
                                                                          *fields))))
    caller = table.newchannel("PJSIP/carrier-00000001", "+13125550123", "+18005550101")
    call = Call("call-1", NOW, "+18005550101", "+13125550123", uniqueid=caller.uniqueid,
                campaign="spring", node="c")
    await store.write(calls.start, call, durable=True)  # node c's AGI session holds it

    def listing() -> tuple[AmiMessage, ...]:
        return tuple(AmiMessage((("Event", "CoreShowChannel"), *c.listing()))
                     for c in table.live.values())

    recorder = recorder_for(store)
    await recorder.on_reconnect(listing())
    assert recorder.tracker.live() == {}  # c's flow, not this node's AMI, will end it

    assert await store.write(cut_off.mark_interrupted, NOW, ["c"], durable=True) == ["call-1"]
    await recorder.on_reconnect(listing())  # the resync after the sweep that found c dead
    assert recorder.tracker.live() == {"number:+18005550101": 1, "campaign:spring": 1}
    emitted.clear()
    table.hangup(caller, cause=19)
    await replay(recorder, emitted)

    done = await store.read(calls.get, call.id)
    assert done is not None and done.end is not None
    assert (done.status, done.end.hangup_cause) == ("abandoned", "19")
