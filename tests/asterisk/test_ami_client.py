"""AmiClient against the fake Asterisk manager over real TCP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import pytest

from callserver.asterisk.ami import (
    AmiClient,
    AmiConnectionLost,
    AmiMessage,
    AmiNotConnected,
    AmiState,
    Backoff,
)
from tests.asterisk.ami_world import HeldListings
from tests.peers.ami_peer import AmiPeer

LOGGER = "callserver.asterisk.ami"
SNAPSHOT = "<snapshot>"


@dataclass
class Tracker:
    """Stands in for the call tracker: records what it is handed, in order."""

    order: list[str] = field(default_factory=list)
    events: list[AmiMessage] = field(default_factory=list)
    snapshots: list[tuple[AmiMessage, ...]] = field(default_factory=list)

    async def on_event(self, event: AmiMessage) -> None:
        await asyncio.sleep(0)  # a handler that awaits must still see events in order
        self.events.append(event)
        self.order.append(event.get("Event"))

    async def on_reconnect(self, channels: tuple[AmiMessage, ...]) -> None:
        self.snapshots.append(channels)
        self.order.append(SNAPSHOT)


async def eventually(predicate: Callable[[], bool]) -> None:
    """Poll until true, as /healthz reads `state`; the bound is a hang guard, not a timing."""
    async with asyncio.timeout(10):
        while not predicate():  # noqa: ASYNC110 - state, counters and logs have no wake-up
            await asyncio.sleep(0.005)


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith(LOGGER)]


StartClient = Callable[..., Awaitable[AmiClient]]


@pytest.fixture
def tracker() -> Tracker:
    return Tracker()


@pytest.fixture
async def start_client(tracker: Tracker) -> AsyncIterator[StartClient]:
    """Starts clients with test-sized intervals (overridable) and stops them all afterwards."""
    started: list[AmiClient] = []

    async def start(port: int, **overrides: Any) -> AmiClient:
        settings: dict[str, Any] = {
            "secret": "s3cret",
            "on_event": tracker.on_event,
            "on_reconnect": tracker.on_reconnect,
            "ping_interval": 30.0,
            "action_timeout": 5.0,
            "backoff": Backoff(initial=0.01, cap=0.05),
        } | overrides
        client = AmiClient("127.0.0.1", port, username="callserver", **settings)
        started.append(client)
        await client.start()
        return client

    yield start
    for client in started:
        await client.stop()


@pytest.fixture(autouse=True)
def _log_ami(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)


@pytest.fixture
async def peer() -> AsyncIterator[AmiPeer]:
    async with AmiPeer() as running:
        yield running


@pytest.fixture
async def client(peer: AmiPeer, tracker: Tracker, start_client: StartClient) -> AmiClient:
    started = await start_client(peer.port)
    await eventually(lambda: started.state is AmiState.CONNECTED and tracker.snapshots != [])
    return started


async def test_logs_in_and_delivers_a_call_in_order(
    peer: AmiPeer, client: AmiClient, tracker: Tracker, caplog: pytest.LogCaptureFixture
) -> None:
    calls = peer.calls
    caller = calls.newchannel("PJSIP/carrier-00000001", "+13125550123", "+18005550101")
    agent = calls.dial_begin(caller, "PJSIP/sales-00000002", "PJSIP/sales")
    calls.dial_end(caller, agent, "ANSWER")
    calls.bridge_enter(caller, agent)
    calls.hangup(agent)
    calls.hangup(caller)
    await eventually(lambda: tracker.order.count("Hangup") == 2)

    assert tracker.order == [
        "FullyBooted",
        SNAPSHOT,
        "Newchannel",
        "Newchannel",
        "DialBegin",
        "Newstate",
        "DialEnd",
        "BridgeEnter",
        "BridgeEnter",
        "BridgeLeave",
        "Hangup",
        "BridgeLeave",
        "Hangup",
    ]
    dial_end = next(e for e in tracker.events if e.event == "DialEnd")
    assert dial_end.get("DialStatus") == "ANSWER"
    assert dial_end.get("DestUniqueid") == agent.uniqueid
    assert {e.get("Linkedid") for e in tracker.events[1:]} == {caller.linkedid}
    assert tracker.events[-1].get("Cause-txt") == "Normal Clearing"
    connected = f"AMI 127.0.0.1:{peer.port} connected (Asterisk Call Manager/5.0.1) as 'callserver'"
    assert [r.getMessage() for r in caplog.get_records("setup")] == [connected]
    assert peer.count("Login") == 1


async def test_send_action_answers_plain_and_list_actions(peer: AmiPeer, client: AmiClient) -> None:
    caller = peer.calls.newchannel("PJSIP/carrier-00000003", "+13125550123", "+18005550101")

    channels = await client.send_action("CoreShowChannels")
    unknown = await client.send_action("Frobnicate", Channel=caller.name)

    assert channels.ok
    assert [c.get("Uniqueid") for c in channels.events] == [caller.uniqueid]
    assert not unknown.ok
    assert unknown.message.startswith("Invalid/unknown command: Frobnicate.")
    assert peer.actions[-1].message.get("Channel") == caller.name


async def test_send_action_needs_a_connection(tracker: Tracker) -> None:
    idle = AmiClient("127.0.0.1", 1, "callserver", "s3cret", tracker.on_event)

    with pytest.raises(AmiNotConnected, match="stopped"):
        await idle.send_action("Ping")


async def test_without_coreshowchannels_rights_it_says_so_and_keeps_the_events(
    peer: AmiPeer, tracker: Tracker, start_client: StartClient, caplog: pytest.LogCaptureFixture
) -> None:
    peer.forbidden.add("CoreShowChannels")
    client = await start_client(peer.port)
    await peer.wait_for(lambda: peer.count("CoreShowChannels") == 1)
    peer.calls.newchannel("PJSIP/carrier-00000008", "+13125550123", "+18005550101")
    await eventually(lambda: "Newchannel" in tracker.order)

    assert client.state is AmiState.CONNECTED
    assert tracker.order == ["FullyBooted", "Newchannel"]
    assert lines(caplog)[-1] == (
        f"AMI 127.0.0.1:{peer.port} refused CoreShowChannels (Permission denied); calls cannot "
        "be reconciled until the manager user may use it (write = system or reporting)"
    )


async def test_refused_login_is_one_error_line_per_attempt_and_backs_off(
    peer: AmiPeer, start_client: StartClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = await start_client(peer.port, secret="wrong")
    await eventually(lambda: peer.count("Login") >= 3)
    await client.stop()

    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) >= 2
    pattern = (
        rf"AMI 127\.0\.0\.1:{peer.port} refused login as 'callserver' "
        r"\(Authentication failed\); retrying in \d+\.\d s"
    )
    assert all(re.fullmatch(pattern, r.getMessage()) for r in errors)
    assert all(r.exc_info is None for r in caplog.records)
    assert peer.logins == 0
    assert client.state is AmiState.STOPPED


async def test_no_asterisk_at_all_retries_with_a_clear_line_and_stops_cleanly(
    start_client: StartClient, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = await start_client(port)
    await eventually(lambda: len(lines(caplog)) >= 3)

    assert client.state in (AmiState.BACKOFF, AmiState.CONNECTING)
    await client.stop()

    pattern = rf"AMI 127\.0\.0\.1:{port} unreachable \(Connection refused\); retrying in \d+\.\d s"
    assert all(re.fullmatch(pattern, line) for line in lines(caplog))
    # mypy keeps the narrowing of the assert before stop(), which changed the state
    assert client.state is AmiState.STOPPED  # type: ignore[comparison-overlap]
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_reconnects_after_asterisk_restarts_and_reconciles_live_channels(
    peer: AmiPeer, client: AmiClient, tracker: Tracker, caplog: pytest.LogCaptureFixture
) -> None:
    caller = peer.calls.newchannel("PJSIP/carrier-00000004", "+13125550123", "+18005550101")
    agent = peer.calls.dial_begin(caller, "PJSIP/sales-00000005", "PJSIP/sales")
    await eventually(lambda: "DialBegin" in tracker.order)

    await peer.stop()
    await eventually(lambda: "unreachable (Connection refused)" in "\n".join(lines(caplog)))
    peer.calls.hangup(agent, cause=19)  # while Asterisk is away: this event is lost
    await peer.start()
    await eventually(lambda: len(tracker.snapshots) == 2)

    assert [c.get("Uniqueid") for c in tracker.snapshots[1]] == [caller.uniqueid]
    assert tracker.order[-3:] == ["Shutdown", "FullyBooted", SNAPSHOT]
    assert "Hangup" not in tracker.order
    lost = rf"AMI 127\.0\.0\.1:{peer.port} connection lost \(closed by Asterisk\); retrying in "
    assert any(re.match(lost, line) for line in lines(caplog))
    assert peer.logins == 2


async def test_a_half_open_link_is_found_by_an_unanswered_ping(
    peer: AmiPeer, start_client: StartClient, caplog: pytest.LogCaptureFixture
) -> None:
    # Half a second: a loaded machine can take a fifth of one to answer a Ping that was sent.
    client = await start_client(peer.port, ping_interval=0.05, ping_timeout=0.5)
    await eventually(lambda: client.state is AmiState.CONNECTED)
    peer.silence()
    await eventually(lambda: "no answer to Ping within 0.5 s" in "\n".join(lines(caplog)))
    logins = peer.logins
    peer.resume()
    await eventually(lambda: peer.logins > logins and client.state is AmiState.CONNECTED)

    assert peer.count("Ping", answered=False) >= 1
    lost = rf"AMI 127\.0\.0\.1:{peer.port} connection lost \(no answer to Ping within 0\.5 s\); "
    assert any(re.match(lost, line) for line in lines(caplog))


async def _list_channels(client: AmiClient) -> object:
    return await client.send_action("CoreShowChannels")


@pytest.mark.parametrize("ask", [_list_channels, AmiClient.resync], ids=["action", "resync"])
async def test_a_cut_connection_fails_the_action_in_flight_and_reconnects(
    peer: AmiPeer,
    client: AmiClient,
    tracker: Tracker,
    ask: Callable[[AmiClient], Coroutine[object, None, object]],
) -> None:
    peer.silence()
    waiting = asyncio.create_task(ask(client))
    await peer.wait_for(lambda: peer.count("CoreShowChannels", answered=False) == 1)
    peer.resume()
    await peer.drop()

    with pytest.raises(AmiConnectionLost):
        await waiting
    await eventually(lambda: len(tracker.snapshots) == 2)  # the reconnect's listing stands in
    assert peer.logins == 2


async def test_the_snapshot_is_handed_over_before_events_that_arrive_while_listing(
    peer: AmiPeer, tracker: Tracker, start_client: StartClient
) -> None:
    caller = peer.calls.newchannel("PJSIP/carrier-00000006", "+13125550123", "+18005550101")
    peer.interleave("Hangup", caller.hangup_fields())
    await start_client(peer.port)
    await eventually(lambda: "Hangup" in tracker.order)

    assert tracker.order == ["FullyBooted", SNAPSHOT, "Hangup"]
    assert [c.get("Uniqueid") for c in tracker.snapshots[0]] == [caller.uniqueid]


async def test_a_slow_handler_loses_the_oldest_events_not_the_link(
    peer: AmiPeer, start_client: StartClient, caplog: pytest.LogCaptureFixture
) -> None:
    busy, release = asyncio.Event(), asyncio.Event()
    seen: list[str] = []

    async def slow(event: AmiMessage) -> None:
        if event.event == "UserEvent":
            busy.set()
            await release.wait()
            seen.append(event.get("Count"))

    client = await start_client(peer.port, on_event=slow, queue_size=2)
    await peer.wait_for(lambda: peer.count("CoreShowChannels") == 1)
    peer.emit("UserEvent", [("UserEvent", "load"), ("Count", "0")], "user")
    await busy.wait()
    for n in range(1, 10):
        peer.emit("UserEvent", [("UserEvent", "load"), ("Count", str(n))], "user")
    await eventually(lambda: client.dropped_events == 7)
    release.set()
    await eventually(lambda: len(seen) == 3)

    assert seen == ["0", "8", "9"]
    assert sum("queue full (2)" in line for line in lines(caplog)) == 1
    assert sum("queue caught up; 7 dropped" in line for line in lines(caplog)) == 1


async def test_a_failing_handler_is_counted_and_the_next_event_still_arrives(
    peer: AmiPeer, tracker: Tracker, start_client: StartClient, caplog: pytest.LogCaptureFixture
) -> None:
    async def fragile(event: AmiMessage) -> None:
        if event.event == "Newchannel":
            raise RuntimeError("tracker bug")
        await tracker.on_event(event)

    client = await start_client(peer.port, on_event=fragile, on_reconnect=None)
    await peer.wait_for(lambda: peer.count("CoreShowChannels") == 1)
    caller = peer.calls.newchannel("PJSIP/carrier-00000007", "+13125550123", "+18005550101")
    peer.calls.hangup(caller)
    await eventually(lambda: "Hangup" in tracker.order)

    assert client.failed_callbacks == 1
    assert tracker.order == ["FullyBooted", "Hangup"]
    (failure,) = [r for r in caplog.records if r.exc_info]
    assert failure.getMessage() == f"AMI 127.0.0.1:{peer.port} handler failed"


async def test_a_resync_lists_the_channels_again_in_order_with_the_events(
    peer: AmiPeer, client: AmiClient, tracker: Tracker
) -> None:
    caller = peer.calls.newchannel("PJSIP/carrier-00000001", "+13125550123", "+18005550101")

    assert await client.resync() is True
    peer.calls.hangup(caller)
    await eventually(lambda: "Hangup" in tracker.order)

    assert tracker.order == ["FullyBooted", SNAPSHOT, "Newchannel", SNAPSHOT, "Hangup"]
    assert [c.get("Uniqueid") for c in tracker.snapshots[1]] == [caller.uniqueid]
    assert (peer.logins, peer.count("CoreShowChannels")) == (1, 2)  # the same link throughout


@pytest.fixture
async def held() -> AsyncIterator[HeldListings]:
    running = HeldListings()
    await running.start()
    yield running
    await running.stop(announce=False)


async def test_a_resync_waits_for_the_connect_s_listing_then_takes_its_own(
    held: HeldListings, tracker: Tracker, start_client: StartClient
) -> None:
    held.hold()
    client = await start_client(held.port)
    await held.wait_for(lambda: held.asked == 1)
    assert client.state is AmiState.CONNECTED  # logged in, its listing not yet answered
    resync = asyncio.create_task(client.resync())
    await asyncio.sleep(0)  # the resync is asked for while the first listing is out
    caller = held.calls.newchannel("PJSIP/carrier-00000002", "+13125550123", "+18005550101")

    held.release()
    assert await resync is True
    await eventually(lambda: len(tracker.snapshots) == 2)

    assert tracker.order == ["FullyBooted", "Newchannel", SNAPSHOT, SNAPSHOT]
    assert [[c.get("Uniqueid") for c in s] for s in tracker.snapshots] == [[caller.uniqueid]] * 2
    assert (held.logins, held.asked) == (1, 2)


async def test_a_resync_needs_a_connection(tracker: Tracker) -> None:
    idle = AmiClient("127.0.0.1", 1, "callserver", "s3cret", tracker.on_event)

    with pytest.raises(AmiNotConnected, match="stopped"):
        await idle.resync()
