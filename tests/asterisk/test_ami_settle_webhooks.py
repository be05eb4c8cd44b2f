"""A call AMI completes sends the same webhooks as one the AGI flow completes, and once.

Real everything: `callserver serve` killed mid-call, a second callserver on the same database
with the fake manager (AMI peer) and the fake PBX (FastAGI peer), and a loopback HTTP receiver
that the outbox worker delivers to.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sqlite3
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from callserver.app import AGI, AMI, STORE, Listen, build_app
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.settings import Secrets
from callserver.store import Store, calls
from callserver.store.calls import Call, CallStatus
from tests.asterisk.webhook_config import CONFIG
from tests.peers.ami_channels import FakeChannel
from tests.peers.ami_peer import AmiPeer
from tests.peers.pbx import PbxCall
from tests.webhooks.conftest import serve
from tests.webhooks.receiver import Receiver

NUMBER = "+18005550101"
ENDINGS = Counter({"call.answered": 1, "call.completed": 1})  # call.started: the AGI side's


async def eventually(predicate: Callable[[], object]) -> None:
    async with asyncio.timeout(20):
        while not predicate():  # noqa: ASYNC110 - other tasks and processes write it
            await asyncio.sleep(0.02)


@dataclass
class World:
    config: Path
    db: Path
    receiver: Receiver
    peer: AmiPeer

    def endings(self) -> Counter[str]:
        types = (json.loads(r.body)["type"] for r in self.receiver.at("/hook"))
        return Counter(t for t in types if t != "call.started")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", receiver.handle)
    runner, receiver.base = await serve(app)
    config = tmp_path / "callserver.yaml"
    config.write_text(CONFIG.replace("BASE", receiver.base))
    try:
        async with AmiPeer() as peer:
            yield World(config, tmp_path / "db.sqlite3", receiver, peer)
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def callserver(world: World) -> AsyncIterator[web.Application]:
    """callserver in this process, following calls through the AMI peer."""
    loopback = HostPort("127.0.0.1", 0)
    app = build_app(LiveConfig(world.config, load_config(world.config)),
                    Secrets(ami_user="callserver", ami_secret="s3cret"),
                    Listen(http=loopback, agi=loopback,
                           ami=HostPort("127.0.0.1", world.peer.port), db=str(world.db)))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await eventually(lambda: app[AMI].state == "connected")
        yield app
    finally:
        await runner.cleanup()


async def row(store: Store) -> Call:
    [call] = await store.read(lambda conn: [c for c in [calls.get(conn, r[0]) for r in
                                                         conn.execute("SELECT id FROM calls")]
                                            if c is not None])
    return call


async def delivered(app: web.Application, world: World) -> Counter[str]:
    """The ending webhooks received, once every ending delivery in the outbox is settled."""
    store = app[STORE]
    while await store.read(unsettled):  # noqa: ASYNC110 - the outbox worker settles them
        await asyncio.sleep(0.05)
    return world.endings()


def unsettled(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM webhook_outbox WHERE event != 'call.started' "
                            "AND status IN ('pending', 'claimed')").fetchone()[0])


def answered_leg(peer: AmiPeer, caller: FakeChannel) -> FakeChannel:
    agent = peer.calls.dial_begin(caller, "PJSIP/pbx-00000002", "sales@pbx")
    peer.calls.dial_end(caller, agent, "ANSWER")
    peer.calls.bridge_enter(caller, agent)
    return agent


async def test_ami_completes_a_call_from_before_a_crash_and_its_webhooks_go_out(
        world: World, tmp_path: Path) -> None:
    agi_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLSERVER_AMI")}
    with (tmp_path / "first.log").open("w") as log:
        first = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "callserver", "serve", "--config", str(world.config),
            "--db", str(world.db), "--http", f"127.0.0.1:{free_port()}",
            "--agi", f"127.0.0.1:{agi_port}", stdout=log, stderr=log, env=env)
    try:
        await eventually(lambda: listening(agi_port))
        caller = world.peer.calls.newchannel("PJSIP/carrier-00000001", "+13125550123", NUMBER)
        pbx = PbxCall(agi_port, NUMBER, uniqueid=caller.uniqueid, targets={"sales@pbx": "hold"})
        ringing = asyncio.create_task(pbx.run())
        await asyncio.wait_for(pbx.dialling.wait(), 20)
        agent = answered_leg(world.peer, caller)  # answered, and then callserver dies
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    ringing.cancel()  # the fake PBX would hold the Dial for ever
    with contextlib.suppress(asyncio.CancelledError):
        await ringing

    async with callserver(world) as app:
        assert (await row(app[STORE])).status is CallStatus.INTERRUPTED
        world.peer.calls.hangup(agent)
        world.peer.calls.hangup(caller, cause=16)
        await eventually_row(app, lambda call: call.status is CallStatus.ANSWERED)
        call = await row(app[STORE])
        assert call.end is not None and call.end.hangup_cause == "16"
        assert call.end.answered_target == "sales"  # named from the config's dial strings
        assert await delivered(app, world) == ENDINGS


async def test_a_call_both_agi_and_ami_complete_sends_each_webhook_once(world: World) -> None:
    async with callserver(world) as app:
        caller = world.peer.calls.newchannel("PJSIP/carrier-00000001", "+13125550123", NUMBER)
        await PbxCall(app[AGI].port, NUMBER, uniqueid=caller.uniqueid,
                      targets={"sales@pbx": "answer"}).run()
        assert (await row(app[STORE])).status is CallStatus.ANSWERED  # the flow's word
        world.peer.calls.hangup(caller, cause=16)  # then AMI's: it completes the call too
        await eventually_row(app, lambda call: call.end is not None
                             and call.end.hangup_cause == "16")
        assert await delivered(app, world) == ENDINGS + Counter({"call.converted": 1})


async def eventually_row(app: web.Application, predicate: Callable[[Call], bool]) -> None:
    async with asyncio.timeout(20):
        while not predicate(await row(app[STORE])):  # noqa: ASYNC110 - AMI's handler writes
            await asyncio.sleep(0.02)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
