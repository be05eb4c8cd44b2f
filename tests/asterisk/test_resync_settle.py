"""Another node's interrupted calls end with one call.completed each without waiting for AMI to
reconnect: AmiClient.resync lists Asterisk's channels on the live link (the heartbeat asks for
it once it has closed a dead node's calls), a call gone from the PBX is settled as interrupted
and a live one is followed to its real end. Real parts throughout: the fake manager on a
loopback socket, the fake PBX over FastAGI, a loopback HTTP receiver, a killed `serve` process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

from callserver.settings import NodeSettings
from callserver.store.call_values import CallStatus
from callserver.web.keys import AMI
from tests.asterisk.ami_world import (
    AMI_LOGIN,
    NUMBER,
    HeldListings,
    World,
    answered_leg,
    callserver,
    delivered,
    eventually,
    free_port,
    listening,
    make_world,
)
from tests.asterisk.test_interrupted_settle import by_caller, interrupt
from tests.peers.ami_channels import FakeChannel
from tests.peers.pbx import PbxCall

ENDINGS = Counter({"call.completed": 2, "call.answered": 1})
B = NodeSettings(node="b")


async def test_a_resync_settles_a_gone_call_once_and_follows_a_live_one_to_its_end(
        world: World) -> None:
    gone = world.peer.calls.newchannel("PJSIP/carrier-00000001", "+13125550123", NUMBER)
    live = world.peer.calls.newchannel("PJSIP/carrier-00000003", "+13125550124", NUMBER)
    legs: list[FakeChannel] = []
    async with callserver(world, node=NodeSettings(node="a")) as app:
        await interrupt(world, [gone, live], node=B,
                        then=lambda: legs.append(answered_leg(world.peer, live)))
        [agent] = legs
        world.peer.calls.hangup(gone)  # node a hears it, but follows nobody's call
        assert {c.status for c in (await by_caller(app)).values()} == {CallStatus.INTERRUPTED}

        assert await app[AMI].resync() is True
        await eventually(lambda: world.completed())
        calls = await by_caller(app)
        assert world.completed() == {calls[gone.caller_num].id: ["interrupted"]}
        assert calls[live.caller_num].status is CallStatus.INTERRUPTED  # it waits for AMI

        world.peer.calls.hangup(agent)
        world.peer.calls.hangup(live, cause=16)
        await eventually(lambda: len(world.completed()) == 2)
        assert await delivered(app, world) == ENDINGS
        calls = await by_caller(app)

    assert world.completed() == {calls[gone.caller_num].id: ["interrupted"],
                                 calls[live.caller_num].id: ["answered"]}
    assert world.peer.logins == 2  # a's and b's: a's link was never cut


@contextlib.asynccontextmanager
async def held_world(tmp_path: Path) -> AsyncIterator[World]:
    async with make_world(tmp_path, HeldListings) as made:
        yield made


async def test_a_resync_asked_while_the_connect_s_listing_is_out_doubles_nothing(
        tmp_path: Path) -> None:
    async with held_world(tmp_path) as world:
        peer = world.peer
        assert isinstance(peer, HeldListings)
        gone = peer.calls.newchannel("PJSIP/carrier-00000001", "+13125550123", NUMBER)
        live = peer.calls.newchannel("PJSIP/carrier-00000003", "+13125550124", NUMBER)
        legs: list[FakeChannel] = []
        await interrupt(world, [gone, live], node=B,
                        then=lambda: legs.append(answered_leg(peer, live)))
        [agent] = legs
        peer.calls.hangup(gone)  # nobody is logged in: AMI never says so
        peer.hold()

        async with callserver(world, node=NodeSettings(node="a")) as app:
            await peer.wait_for(lambda: peer.asked == 2)  # b's listing, then a's, held
            resync = asyncio.create_task(app[AMI].resync())
            await asyncio.sleep(0)  # asked for while a's first listing is out
            peer.release()
            assert await resync is True
            await eventually(lambda: world.completed())
            peer.calls.hangup(agent)
            peer.calls.hangup(live, cause=16)
            await eventually(lambda: len(world.completed()) == 2)
            assert await delivered(app, world) == ENDINGS
            calls = await by_caller(app)

        assert world.completed() == {calls[gone.caller_num].id: ["interrupted"],
                                     calls[live.caller_num].id: ["answered"]}
        assert peer.asked == 3  # b's; a's at connect, then a's resync after it, not beside it


async def test_a_node_killed_mid_call_has_its_calls_ended_by_the_survivor_s_resync(
        world: World, tmp_path: Path) -> None:
    beats = {"heartbeat_s": 0.1, "dead_after_s": 1.0}
    gone = world.peer.calls.newchannel("PJSIP/carrier-00000001", "+13125550123", NUMBER)
    live = world.peer.calls.newchannel("PJSIP/carrier-00000003", "+13125550124", NUMBER)
    async with callserver(world, node=NodeSettings(node="a", **beats)) as app:
        agi_port = free_port()
        env = {**os.environ, "CALLSERVER_NODE": "b", "CALLSERVER_HEARTBEAT_S": "0.1",
               "CALLSERVER_NODE_TIMEOUT_S": "1.0", "CALLSERVER_AMI_USER": AMI_LOGIN.ami_user or "",
               "CALLSERVER_AMI_SECRET": AMI_LOGIN.ami_secret or ""}
        with (tmp_path / "b.log").open("w") as log:
            b = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "callserver", "serve", "--config", str(world.config),
                "--db", str(world.db), "--http", f"127.0.0.1:{free_port()}",
                "--agi", f"127.0.0.1:{agi_port}", "--ami", f"127.0.0.1:{world.peer.port}",
                stdout=log, stderr=log, env=env)
        ringing: list[asyncio.Task[PbxCall]] = []
        try:
            await eventually(lambda: listening(agi_port) and world.peer.logins == 2)
            pbx = [PbxCall(agi_port, NUMBER, callerid=c.caller_num, uniqueid=c.uniqueid,
                           targets={"sales@pbx": "hold"}) for c in (gone, live)]
            ringing = [asyncio.create_task(p.run()) for p in pbx]
            await asyncio.wait_for(asyncio.gather(*(p.dialling.wait() for p in pbx)), 20)
            agent = answered_leg(world.peer, live)
        finally:
            b.send_signal(signal.SIGKILL)  # b dies mid-call: no word to anyone
            await b.wait()
            for task in ringing:  # the fake PBX would hold each Dial for ever
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        world.peer.calls.hangup(gone)

        await eventually(lambda: world.completed())  # a's heartbeat closed them, then listed
        calls = await by_caller(app)
        assert world.completed() == {calls[gone.caller_num].id: ["interrupted"]}
        assert calls[live.caller_num].status is CallStatus.INTERRUPTED
        world.peer.calls.hangup(agent)
        world.peer.calls.hangup(live, cause=16)
        await eventually(lambda: len(world.completed()) == 2)
        assert await delivered(app, world) == ENDINGS
        calls = await by_caller(app)
        store_calls = {c.caller: c.node for c in calls.values()}

    assert world.completed() == {calls[gone.caller_num].id: ["interrupted"],
                                 calls[live.caller_num].id: ["answered"]}
    assert store_calls == {gone.caller_num: "b", live.caller_num: "b"}
    assert world.peer.logins == 2  # a's link stayed up: no reconnect did it
    end = calls[live.caller_num].end
    assert end is not None and end.hangup_cause == "16"
