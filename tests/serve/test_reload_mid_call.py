"""A reload replaces the config for the next call; a call already ringing keeps the one it began
with, down to its failover target."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from tests.peers.pbx import PbxCall
from tests.serve.conftest import ADMIN_TOKEN, Launch

CONFIG = """
targets:
  first: {dial: "PJSIP/first@pbx"}
  second: {dial: "PJSIP/second@pbx"}
  third: {dial: "PJSIP/third@pbx"}
campaigns:
  c:
    routing:
      strategy: priority
      targets: [{target: first, priority: 1}, {target: second, priority: 2}]
    numbers: {"+18005550101": {}}
"""


@dataclass
class HeldCall(PbxCall):
    """Its first Dial waits for `release`, so the test can reload while the call rings."""

    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def _dial(self, args: str) -> bytes:
        if not self.release.is_set():
            self.dialling.set()
            await self.release.wait()
        return await super()._dial(args)


def _dialled(call: PbxCall) -> list[str]:
    return [words[2].split(",")[0] for words in call.sent("EXEC Dial")]


async def test_a_call_in_progress_keeps_its_config(serve: Launch, tmp_path: Path) -> None:
    source = tmp_path / "c.yaml"
    source.write_text(CONFIG)
    server = serve(config=source)
    ringing = HeldCall(server.agi, "+18005550101")
    running = asyncio.create_task(ringing.run())
    await asyncio.wait_for(ringing.dialling.wait(), 10)
    server.config.write_text(CONFIG.replace("{target: second, priority: 2}",
                                            "{target: third, priority: 2}"))
    status, _ = await asyncio.to_thread(server.get, "/api/config/reload", ADMIN_TOKEN, "POST")
    assert status == 200
    ringing.release.set()
    await asyncio.wait_for(running, 10)
    assert _dialled(ringing) == ["PJSIP/first@pbx", "PJSIP/second@pbx"]
    after = HeldCall(server.agi, "+18005550101", uniqueid="1764000000.2")
    after.release.set()
    await asyncio.wait_for(after.run(), 10)
    assert _dialled(after) == ["PJSIP/first@pbx", "PJSIP/third@pbx"]
