"""A call AMI completes sends the same webhooks as one the AGI flow completes, and once.

Real everything: `callserver serve` killed mid-call, a second callserver on the same database
with the fake manager (AMI peer) and the fake PBX (FastAGI peer), and a loopback HTTP receiver
that the outbox worker delivers to.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections import Counter
from pathlib import Path

from callserver.store.call_values import CallStatus
from callserver.web.keys import AGI, STORE
from tests.asterisk.ami_world import (
    NUMBER,
    World,
    answered_leg,
    callserver,
    delivered,
    eventually,
    eventually_row,
    free_port,
    listening,
    row,
)
from tests.peers.pbx import PbxCall

ENDINGS = Counter({"call.answered": 1, "call.completed": 1})  # call.started: the AGI side's


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
