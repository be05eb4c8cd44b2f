"""Round robin over real FastAGI: calls to one number that overlap ring different targets
first, since each takes its turn as it plans, not when it ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.asterisk.conftest import Running, serving_text
from tests.peers.pbx import PbxCall

NUMBER = "+18005550101"
CONFIG = f"""
targets:
  a: {{dial: PJSIP/a@pbx}}
  b: {{dial: PJSIP/b@pbx}}
  c: {{dial: PJSIP/c@pbx}}
campaigns:
  spring:
    routing: {{strategy: round_robin, targets: [{{target: a}}, {{target: b}}, {{target: c}}]}}
    numbers: {{"{NUMBER}": {{}}}}
"""


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with serving_text(CONFIG, tmp_path) as state:
        yield state


def first_dial(pbx: PbxCall) -> str:
    return pbx.sent("EXEC Dial")[0][2].split(",")[0]


async def test_overlapping_calls_ring_different_first_targets_live(running: Running) -> None:
    held = [PbxCall(running.agi_port, NUMBER, targets=dict.fromkeys(["a@pbx", "b@pbx"], "hold"),
                    uniqueid=f"1764000000.{i}") for i in range(2)]
    tasks = [asyncio.create_task(p.run()) for p in held]
    await asyncio.wait_for(asyncio.gather(*(p.dialling.wait() for p in held)), 10)
    assert sorted(first_dial(p) for p in held) == ["PJSIP/a@pbx", "PJSIP/b@pbx"]
    third = await PbxCall(running.agi_port, NUMBER, uniqueid="1764000000.9",
                          targets={"c@pbx": "answer"}).run()
    assert first_dial(third) == "PJSIP/c@pbx"  # the two still ringing took a's and b's turns
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    rows = {c.uniqueid: c for c in await running.settled()}
    assert sorted(c.trace["plan"]["rotation"]["turn"] for c in rows.values()) == [0, 1, 2]
    assert rows["1764000000.9"].trace["plan"]["rotation"] == {"list": "spring:a,b,c",
                                                             "turn": 2, "next": 3}
