"""A whole call seen from both sides: FastAGI runs it, AMI tells how it ended."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import web

from callserver.app import Listen, build_app
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.settings import Secrets
from callserver.web.keys import AMI
from tests.asterisk.conftest import DEMO, TUESDAY_NOON_CHICAGO, Running
from tests.peers.ami_peer import AmiPeer
from tests.peers.pbx import PbxCall


async def eventually(predicate: Callable[[], object]) -> None:
    async with asyncio.timeout(10):
        while not predicate():  # noqa: ASYNC110 - another task writes what we wait for
            await asyncio.sleep(0.01)


@pytest.fixture
async def with_ami(tmp_path: Path) -> AsyncIterator[tuple[Running, AmiPeer]]:
    async with AmiPeer() as peer:
        state = Running(web.Application(), TUESDAY_NOON_CHICAGO)
        loopback = HostPort("127.0.0.1", 0)
        app = build_app(LiveConfig(DEMO, load_config(DEMO)),
                        Secrets(ami_user="callserver", ami_secret="s3cret"),
                        Listen(http=loopback, agi=loopback, ami=HostPort("127.0.0.1", peer.port),
                               db=str(tmp_path / "db.sqlite3")),
                        clock=lambda: state.now)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        state.app = app
        try:
            await eventually(lambda: app[AMI].state == "connected")
            yield state, peer
        finally:
            await runner.cleanup()


async def test_hangup_cause_and_answered_leg_come_from_ami(
        with_ami: tuple[Running, AmiPeer]) -> None:
    running, peer = with_ami
    caller = peer.calls.newchannel("PJSIP/carrier-00000001", "+13125550123", "+18005550101")
    pbx = PbxCall(running.agi_port, "+18005550101", digits="1", uniqueid=caller.uniqueid,
                  targets={"dispatch@pbx": "answer"})
    await pbx.run()
    [call] = await running.calls()
    assert call.status == "answered" and call.end is not None
    assert call.end.hangup_cause is None  # AMI has not said how it ended yet
    peer.calls.hangup(caller, cause=16)

    async with asyncio.timeout(10):
        while True:
            [row] = await running.calls()
            if row.end is not None and row.end.hangup_cause is not None:
                break
            await asyncio.sleep(0.01)
    assert row.end.hangup_cause == "16"
