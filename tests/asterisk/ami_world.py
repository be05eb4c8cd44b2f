"""A callserver in this process beside the fake manager (AMI peer) and a loopback webhook
receiver, on one database that survives the callserver: the world of the AMI settle tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from callserver.app import Listen, build_app
from callserver.asterisk.ami.wire import AmiMessage
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.settings import NodeSettings, Secrets
from callserver.store import calls
from callserver.store.call_values import Call
from callserver.store.open import AnyStore
from callserver.web.keys import AMI, STORE
from tests.asterisk.webhook_config import CONFIG
from tests.peers.ami_channels import FakeChannel
from tests.peers.ami_peer import AmiPeer
from tests.webhooks.conftest import serve
from tests.webhooks.receiver import Receiver

NUMBER = "+18005550101"
AMI_LOGIN = Secrets(ami_user="callserver", ami_secret="s3cret")


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

    def hooks(self) -> list[dict[str, Any]]:
        """Every default-body payload the receiver got at /hook, in order."""
        return [json.loads(r.body) for r in self.receiver.at("/hook")]

    def endings(self) -> Counter[str]:
        return Counter(h["type"] for h in self.hooks() if h["type"] != "call.started")

    def completed(self) -> dict[str, list[str]]:
        """The status each call.completed received gave, per call id."""
        found: dict[str, list[str]] = {}
        for hook in self.hooks():
            if hook["type"] == "call.completed":
                call = hook["data"]["call"]
                found.setdefault(call["id"], []).append(call["status"])
        return found


class HeldListings(AmiPeer):
    """The fake manager, holding CoreShowChannels answers from `hold()` to `release()`, as an
    Asterisk busy listing thousands of channels would; `asked` counts the listings asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0
        self._open = asyncio.Event()
        self._open.set()

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    async def _receive(self, session: Any, action: AmiMessage) -> None:
        if action.get("Action").lower() == "coreshowchannels":
            self.asked += 1
            async with self._changed:
                self._changed.notify_all()
            await self._open.wait()
        await super()._receive(session, action)


@contextlib.asynccontextmanager
async def make_world(tmp_path: Path, peer: type[AmiPeer] = AmiPeer) -> AsyncIterator[World]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", receiver.handle)
    runner, receiver.base = await serve(app)
    config = tmp_path / "callserver.yaml"
    config.write_text(CONFIG.replace("BASE", receiver.base))
    try:
        async with peer() as running:
            yield World(config, tmp_path / "db.sqlite3", receiver, running)
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def callserver(world: World, secrets: Secrets = AMI_LOGIN,
                     node: NodeSettings | None = None) -> AsyncIterator[web.Application]:
    """callserver in this process, following calls through the AMI peer (with `secrets`
    holding the AMI login; without one, AMI is off)."""
    loopback = HostPort("127.0.0.1", 0)
    listen = Listen(http=loopback, agi=loopback, ami=HostPort("127.0.0.1", world.peer.port),
                    db=str(world.db), node=node or NodeSettings.from_env())
    app = build_app(LiveConfig(world.config, load_config(world.config)), secrets, listen)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        if secrets.ami_user:
            await eventually(lambda: app[AMI].state == "connected")
        yield app
    finally:
        await runner.cleanup()


async def rows(store: AnyStore) -> list[Call]:
    return await store.read(lambda conn: [c for c in [calls.get(conn, r[0]) for r in
                                                      conn.execute("SELECT id FROM calls")]
                                          if c is not None])


async def row(store: AnyStore) -> Call:
    [call] = await rows(store)
    return call


async def eventually_row(app: web.Application, predicate: Callable[[Call], bool]) -> None:
    async with asyncio.timeout(20):
        while not predicate(await row(app[STORE])):  # noqa: ASYNC110 - AMI's handler writes
            await asyncio.sleep(0.02)


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
