"""Why the AMI client is our own: panoramisk 1.4 failing where callserver needs it to hold.

Each test shows a panoramisk failure and, beside it, our piece on the same input. If a
panoramisk release fixes one, its test fails here and the choice can be weighed again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from panoramisk import Manager
from panoramisk.ami_protocol import AMIProtocol
from panoramisk.message import Message

from callserver.asterisk.ami.wire import AmiParser
from tests.peers.ami_peer import AmiPeer

NEWCHANNEL = (
    "Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/carrier-00000001\r\n"
    "CallerIDName: José\r\nUniqueid: 1718000000.1\r\nLinkedid: 1718000000.1\r\n"
    "AccountCode: \r\n\r\n"
).encode()


class _Sink:
    """What AMIProtocol expects its factory to be, recording dispatched events."""

    save_stream = None

    def __init__(self) -> None:
        self.events: list[Message] = []

    def dispatch(self, event: Message) -> None:
        self.events.append(event)


class _Transport(asyncio.Transport):
    def write(self, data: Any) -> None:
        pass

    def close(self) -> None:
        pass


def panoramisk_reads(*chunks: bytes) -> list[Message]:
    protocol = AMIProtocol()
    protocol.connection_made(_Transport())
    sink = _Sink()
    protocol.factory = sink
    protocol.encoding = "utf8"
    for chunk in chunks:
        protocol.data_received(chunk)
    return sink.events


async def test_a_utf8_character_split_across_reads_is_lost_by_panoramisk() -> None:
    cut = NEWCHANNEL.index("é".encode()) + 1
    chunks = NEWCHANNEL[:cut], NEWCHANNEL[cut:]

    (theirs,) = panoramisk_reads(*chunks)
    parser = AmiParser()
    (ours,) = [m for chunk in chunks for m in parser.feed(chunk)]

    assert theirs["CallerIDName"] == "Jos"
    assert ours.get("CallerIDName") == "José"


async def test_an_empty_last_field_is_lost_by_panoramisk() -> None:
    (theirs,) = panoramisk_reads(NEWCHANNEL)
    (ours,) = AmiParser().feed(NEWCHANNEL)

    assert "AccountCode" not in theirs
    assert ("AccountCode", "") in ours.headers


async def test_panoramisk_keeps_a_half_open_link_despite_unanswered_pings() -> None:
    disconnected: list[object] = []
    logged_in = asyncio.Event()
    async with AmiPeer() as peer:
        manager = Manager(
            loop=asyncio.get_running_loop(),
            host="127.0.0.1",
            port=peer.port,
            username=peer.username,
            secret=peer.secret,
            ping_delay=1,  # its smallest: the setting is cast to int seconds
            ping_interval=1,
            on_login=lambda _: logged_in.set(),
            on_disconnect=lambda _, exc: disconnected.append(exc),
        )
        await manager.connect()
        await logged_in.wait()
        peer.silence()
        await peer.wait_for(lambda: peer.count("Ping", answered=False) >= 2)
        manager.close()

    assert disconnected == []  # two pings went unanswered and it never noticed


async def test_panoramisk_runs_async_handlers_side_by_side_so_a_hangup_can_overtake() -> None:
    manager = Manager(loop=asyncio.get_running_loop())
    gate, hung_up, created = asyncio.Event(), asyncio.Event(), asyncio.Event()
    finished: list[str] = []

    async def handler(_: Manager, event: Message) -> None:
        if event.event == "Newchannel":
            await gate.wait()
        finished.append(event.event)
        (created if event.event == "Newchannel" else hung_up).set()

    manager.register_event("*", handler)
    manager.dispatch(Message({"Event": "Newchannel", "Uniqueid": "1718000000.1"}))
    manager.dispatch(Message({"Event": "Hangup", "Uniqueid": "1718000000.1"}))
    await hung_up.wait()
    gate.set()
    await created.wait()

    assert finished == ["Hangup", "Newchannel"]
