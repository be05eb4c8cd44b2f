"""The tracker and recorder behind a real AmiClient, against the fake Asterisk manager over
TCP on 127.0.0.1, with a real SQLite store: what a call leaves in its row and in live()."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest

from callserver.asterisk.ami import AmiClient, AmiMessage, Backoff
from callserver.asterisk.lifecycle import LifecycleRecorder, Tracker
from callserver.store import Store, calls, events
from callserver.store.call_values import Call, CallStatus
from tests.peers.ami_channels import FakeChannel
from tests.peers.ami_peer import AmiPeer

DIALS = {"PJSIP/sales@pbx": "sales", "PJSIP/+13125550111@carrier": "tvdesk"}


class Handled:
    """AmiClient's callbacks: the recorder's, counting what it has finished handling."""

    def __init__(self, recorder: LifecycleRecorder) -> None:
        self.recorder = recorder
        self.events: Counter[str] = Counter()
        self.listings = 0

    async def on_event(self, message: AmiMessage) -> None:
        await self.recorder.on_event(message)
        self.events[message.get("Event")] += 1

    async def on_reconnect(self, channels: tuple[AmiMessage, ...]) -> None:
        await self.recorder.on_reconnect(channels)
        self.listings += 1


async def eventually(predicate: Callable[[], bool]) -> None:
    """Poll until true; the bound is a hang guard, not a timing."""
    async with asyncio.timeout(10):
        while not predicate():  # noqa: ASYNC110 - the handlers have no wake-up of their own
            await asyncio.sleep(0.005)


@pytest.fixture
async def peer() -> AsyncIterator[AmiPeer]:
    async with AmiPeer() as running:
        yield running


@pytest.fixture
async def handled(peer: AmiPeer, store: Store) -> AsyncIterator[Handled]:
    watcher = Handled(LifecycleRecorder(store, Tracker()))
    client = AmiClient("127.0.0.1", peer.port, "callserver", "s3cret", watcher.on_event,
                       on_reconnect=watcher.on_reconnect, backoff=Backoff(0.01, 0.05))
    await client.start()
    await eventually(lambda: watcher.listings == 1)
    yield watcher
    await client.stop()


async def call_starts(peer: AmiPeer, store: Store, tracker: Tracker, n: int) -> FakeChannel:
    """An inbound call reaches the AGI side, which writes its record and announces it."""
    caller = peer.calls.newchannel(f"PJSIP/carrier-0000000{n}", "+13125550123", "+18005550101")
    call = Call(f"call-{n}", datetime.now(UTC), "+18005550101", "+13125550123",
                uniqueid=caller.uniqueid, campaign="spring")
    await store.write(calls.start, call, durable=True)
    tracker.expect(caller.uniqueid, call.id, call.number, call.campaign)
    tracker.target_for(caller.uniqueid, DIALS)
    return caller


async def test_an_answered_call_gets_its_cause_and_target_and_live_counts_follow_it(
    peer: AmiPeer, store: Store, handled: Handled
) -> None:
    recorder, tracker = handled.recorder, handled.recorder.tracker
    caller = await call_starts(peer, store, tracker, 1)
    assert tracker.live() == {"number:+18005550101": 1, "campaign:spring": 1}

    agent = peer.calls.dial_begin(caller, "PJSIP/pbx-00000002", "sales@pbx")
    peer.calls.dial_end(caller, agent, "ANSWER")
    peer.calls.bridge_enter(caller, agent)
    await eventually(lambda: handled.events["BridgeEnter"] == 2)
    assert tracker.live()["target:sales"] == 1

    await recorder.session_ended(caller.uniqueid)  # the flow handed the call to the dialplan
    peer.calls.hangup(agent)
    await eventually(lambda: handled.events["Hangup"] == 1)
    assert tracker.live() == {"number:+18005550101": 1, "campaign:spring": 1}
    peer.calls.hangup(caller)
    await eventually(lambda: handled.events["Hangup"] == 2)

    assert tracker.live() == {}
    done = await store.read(calls.get, "call-1")
    assert done is not None and done.end is not None
    assert (done.status, done.end.hangup_cause, done.end.answered_target) == (
        CallStatus.ANSWERED, "16", "sales")
    assert done.end.ring_seconds is not None and done.end.talk_seconds is not None
    logged = [e.kind for e in await store.read(events.for_call, "call-1")]
    assert logged == ["ringing", "answered", "bridged", "leg-hung-up", "hung-up"]


async def test_a_call_that_ended_while_ami_was_away_is_closed_by_the_reconciliation(
    peer: AmiPeer, store: Store, handled: Handled
) -> None:
    tracker = handled.recorder.tracker
    ended = await call_starts(peer, store, tracker, 1)
    agent = peer.calls.dial_begin(ended, "PJSIP/pbx-00000002", "sales@pbx")
    peer.calls.dial_end(ended, agent, "ANSWER")
    await call_starts(peer, store, tracker, 3)  # still talking when AMI comes back
    await handled.recorder.session_ended(ended.uniqueid)
    await eventually(lambda: handled.events["DialEnd"] == 1)
    assert tracker.live()["number:+18005550101"] == 2

    await peer.stop()
    peer.calls.hangup(agent)  # lost: nobody is listening
    peer.calls.hangup(ended)
    await peer.start()
    await eventually(lambda: handled.listings == 2)

    done = await store.read(calls.get, "call-1")
    assert done is not None and done.end is not None
    assert (done.status, done.end.hangup_cause, done.end.answered_target) == (
        CallStatus.ANSWERED, None, "sales")
    assert [call.id for call in await store.read(calls.in_progress)] == ["call-3"]
    assert tracker.live() == {"number:+18005550101": 1, "campaign:spring": 1}
