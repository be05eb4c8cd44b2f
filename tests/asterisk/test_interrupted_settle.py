"""Every interrupted call ends with exactly one call.completed, whether AMI can still report it.

callserver stopped mid-call closes its calls as interrupted. When AMI reconnects, a call whose
channel is gone from the PBX can never be reported, so it is settled then, as interrupted; a
call whose channel is live waits for AMI's hang-up and its real outcome. With AMI off, the
heartbeat settles interrupted calls once the node timeout has passed. Real parts throughout:
the fake manager on a loopback socket, the fake PBX over FastAGI, a loopback HTTP receiver.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable, Sequence

from aiohttp import web

from callserver.settings import NodeSettings, Secrets
from callserver.store.call_values import Call, CallStatus
from callserver.web.keys import AGI, STORE
from tests.asterisk.ami_world import (
    AMI_LOGIN,
    NUMBER,
    World,
    answered_leg,
    callserver,
    delivered,
    eventually,
    rows,
)
from tests.peers.ami_channels import FakeChannel
from tests.peers.pbx import PbxCall

NO_AMI = Secrets()


async def interrupt(world: World, callers: Sequence[FakeChannel], secrets: Secrets = AMI_LOGIN,
                    node: NodeSettings | None = None,
                    then: Callable[[], object] = lambda: None) -> None:
    """A callserver takes the callers' calls, rings them (then does `then`), and stops while
    they still ring: it closes them as interrupted."""
    tasks: list[asyncio.Task[PbxCall]] = []
    try:
        async with callserver(world, secrets, node) as app:
            pbx = [PbxCall(app[AGI].port, NUMBER, callerid=c.caller_num, uniqueid=c.uniqueid,
                           targets={"sales@pbx": "hold"}) for c in callers]
            tasks = [asyncio.create_task(p.run()) for p in pbx]
            await asyncio.wait_for(asyncio.gather(*(p.dialling.wait() for p in pbx)), 20)
            then()
            await app[AGI].stop(grace=0)  # stopping at once, not after the calls' grace
    finally:
        for task in tasks:  # the fake PBX would hold each Dial for ever
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def by_caller(app: web.Application) -> dict[str, Call]:
    return {call.caller: call for call in await rows(app[STORE])}


async def test_at_reconnect_a_gone_call_is_settled_once_and_a_live_one_waits_for_ami(
        world: World) -> None:
    gone = world.peer.calls.newchannel("PJSIP/carrier-00000001", "+13125550123", NUMBER)
    live = world.peer.calls.newchannel("PJSIP/carrier-00000003", "+13125550124", NUMBER)
    legs: list[FakeChannel] = []
    await interrupt(world, [gone, live], then=lambda: legs.append(answered_leg(world.peer, live)))
    [agent] = legs
    world.peer.calls.hangup(gone)  # while no callserver is logged in: AMI never says so

    async with callserver(world) as app:
        before = await by_caller(app)
        await eventually(lambda: world.completed())
        calls = await by_caller(app)
        assert {c.status for c in before.values()} == {CallStatus.INTERRUPTED}
        assert world.completed() == {before[gone.caller_num].id: ["interrupted"]}
        assert calls[live.caller_num].status is CallStatus.INTERRUPTED  # not settled early

        await world.peer.drop()  # a second reconnect lists the live call again
        await world.peer.wait_for(lambda: world.peer.count("CoreShowChannels") == 3)
        world.peer.calls.hangup(agent)
        world.peer.calls.hangup(live, cause=16)  # its Hangup follows the second listing
        await eventually(lambda: len(world.completed()) == 2)
        await delivered(app, world)
        calls = await by_caller(app)

    assert world.completed() == {calls[gone.caller_num].id: ["interrupted"],
                                 calls[live.caller_num].id: ["answered"]}
    assert calls[live.caller_num].status is CallStatus.ANSWERED
    end = calls[gone.caller_num].end
    assert end is not None and end.status is CallStatus.INTERRUPTED


async def test_with_ami_off_the_heartbeat_settles_interrupted_calls_once(world: World) -> None:
    node = NodeSettings(node="solo", heartbeat_s=0.05, dead_after_s=0.3)
    caller = world.peer.calls.newchannel("PJSIP/carrier-00000001", "+13125550123", NUMBER)
    await interrupt(world, [caller], NO_AMI, node)

    async with callserver(world, NO_AMI, node) as app:
        await eventually(lambda: world.completed())
        await beats(app, "solo", 2)  # the beat after the one that settled it has run whole
        await delivered(app, world)
        [call] = await rows(app[STORE])
    assert world.completed() == {call.id: ["interrupted"]}
    assert world.endings() == {"call.completed": 1}
    assert world.peer.logins == 0  # AMI was off throughout


async def beats(app: web.Application, node: str, count: int) -> None:
    """Wait until `node` has beaten `count` more times."""
    store = app[STORE]
    seen = [await store.read(heartbeat_at, node)]
    async with asyncio.timeout(20):
        while len(seen) <= count:
            await asyncio.sleep(0.02)
            if (at := await store.read(heartbeat_at, node)) != seen[-1]:
                seen.append(at)


def heartbeat_at(conn: sqlite3.Connection, node: str) -> str:
    (at,) = conn.execute("SELECT heartbeat_at FROM nodes WHERE node = ?", (node,)).fetchone()
    return str(at)
