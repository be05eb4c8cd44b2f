"""A caller sent to voicemail over real FastAGI: the message file RECORD FILE wrote becomes the
call's `voicemail`, in the store and in its `call.completed` webhook; a RECORD FILE that wrote
nothing (the beep hung up on, # at once, the file not writable) leaves it empty."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from callserver.store.call_values import Call, CallStatus
from tests.asterisk.ami_world import eventually
from tests.asterisk.conftest import Running, serving_text
from tests.flow.test_flow import TUESDAY_NIGHT
from tests.peers.pbx import PbxCall
from tests.webhooks.conftest import serve
from tests.webhooks.receiver import Receiver

NUMBER = "+18005550101"
CONFIG = """
recordings_dir: /spool/cs
schedules:
  office: {timezone: America/Chicago, open: {mon-fri: "08:00-18:00"}}
targets:
  a: {dial: "PJSIP/a@pbx"}
campaigns:
  c:
    schedule: office
    routing: {targets: [{target: a}], after_hours: {action: voicemail}}
    prompts: {closed: closed}
    webhooks:
      - on: call.completed
        url: "BASE/hook"
    numbers: {"8005550101": {}}
"""


@dataclass
class Line:
    running: Running
    receiver: Receiver

    async def call(self, record_reply: bytes | None = None) -> tuple[Call, dict[str, Any]]:
        """One after-hours call whose RECORD FILE answers `record_reply`: its stored record
        and the `call` tokens of its call.completed webhook."""
        pbx = PbxCall(self.running.agi_port, NUMBER)
        if record_reply is not None:
            pbx.record_reply = record_reply
        await pbx.run()
        [call] = await self.running.settled()
        await eventually(lambda: self.receiver.at("/hook"))
        [hook] = self.receiver.at("/hook")
        return call, json.loads(hook.body)["data"]["call"]


@pytest.fixture
async def line(tmp_path: Path) -> AsyncIterator[Line]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", receiver.handle)
    runner, receiver.base = await serve(app)
    try:
        async with serving_text(CONFIG.replace("BASE", receiver.base), tmp_path) as running:
            running.now = TUESDAY_NIGHT
            yield Line(running, receiver)
    finally:
        await runner.cleanup()


async def test_a_message_left_is_the_calls_voicemail(line: Line) -> None:
    call, hook = await line.call()
    path = f"/spool/cs/voicemail/{call.id}.wav"
    assert call.end is not None and call.end.voicemail == path
    assert call.status is CallStatus.CLOSED and call.end.recording is None
    assert call.trace["voicemail"] == path
    assert call.trace["reason"].endswith("; voicemail taken")
    assert (hook["status"], hook["voicemail"]) == ("closed", path)


async def test_hanging_up_after_speaking_leaves_the_message(line: Line) -> None:
    call, hook = await line.call(b"HANGUP\n200 result=-1 (hangup) endpos=40000\n")
    path = f"/spool/cs/voicemail/{call.id}.wav"
    assert call.end is not None and call.end.voicemail == path
    assert call.status is CallStatus.CLOSED
    assert call.trace["reason"].endswith("; voicemail taken")
    assert hook["voicemail"] == path


async def test_hanging_up_at_the_beep_leaves_none(line: Line) -> None:
    call, hook = await line.call(b"HANGUP\n200 result=-1 (randomerror) endpos=0\n")
    assert call.end is not None and call.end.voicemail is None
    assert call.status is CallStatus.ABANDONED
    assert call.trace["reason"] == "caller hung up during voicemail"
    assert (hook["status"], hook["voicemail"]) == ("abandoned", None)


@pytest.mark.parametrize("reply", [b"200 result=35 (dtmf) endpos=0\n",
                                   b"200 result=-1 (writefile)\n"])
async def test_a_recording_that_wrote_nothing_is_no_voicemail(line: Line, reply: bytes) -> None:
    call, hook = await line.call(reply)
    assert call.end is not None and call.end.voicemail is None
    assert call.status is CallStatus.CLOSED and call.trace["voicemail"] is None
    assert call.trace["reason"].endswith("; no voicemail left")
    assert hook["voicemail"] is None
