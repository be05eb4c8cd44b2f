"""Caps on blocks of the day, through the real store: a fake PBX calls over FastAGI while the
test moves the server's clock; each block counts from its start and stops limiting at its end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from callserver.store.call_values import CallStatus
from tests.asterisk.conftest import Running, serving_text
from tests.peers.pbx import PbxCall

CAPPED = "+18005550101"  # blocks 09:00-12:00 (2 calls) and 22:00-06:00 (1 call)
ROUTED = "+18005550102"  # rings desk (block 09:00-12:00: 1 call), then spare
CONFIG = f"""
timezone: America/New_York
targets:
  desk: {{dial: PJSIP/desk@pbx, caps: {{blocks: [{{hours: "09:00-12:00", calls: 1}}]}}}}
  spare: {{dial: PJSIP/spare@pbx}}
campaigns:
  spring:
    routing: {{targets: [{{target: spare}}]}}
    numbers:
      "{CAPPED}":
        caps: {{day: 100, blocks: [{{hours: "09:00-12:00", calls: 2}},
                                 {{hours: "22:00-06:00", calls: 1}}]}}
  autumn:
    routing: {{strategy: priority, targets: [{{target: desk, priority: 1}},
                                             {{target: spare, priority: 2}}]}}
    numbers: {{"{ROUTED}": {{}}}}
"""
NEW_YORK = ZoneInfo("America/New_York")
ANSWERING = {"desk@pbx": "answer", "spare@pbx": "answer"}


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 wall-clock time in New York as a UTC instant."""
    return datetime(2026, 11, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with serving_text(CONFIG, tmp_path) as state:
        yield state


async def call(running: Running, number: str, at: datetime) -> str:
    running.now = at
    pbx = await PbxCall(running.agi_port, number, targets=ANSWERING, talk_seconds=100).run()
    return pbx.variables["CALLSERVER_RESULT"]


async def test_the_block_s_next_call_is_capped_and_a_call_after_it_is_taken(
        running: Running) -> None:
    assert await call(running, CAPPED, local(24, 8, 30)) == "answered"  # before: not counted
    assert await call(running, CAPPED, local(24, 9)) == "answered"
    assert await call(running, CAPPED, local(24, 10)) == "answered"
    assert await call(running, CAPPED, local(24, 11, 59)) == "capped"
    assert await call(running, CAPPED, local(24, 12)) == "answered"  # the block has ended
    rows = await running.calls()
    assert [c.status for c in rows] == [CallStatus.ANSWERED] * 3 + [
        CallStatus.CAPPED, CallStatus.ANSWERED]
    capped, after = rows[3], rows[4]
    assert capped.trace["reason"] == f"number:{CAPPED} block 09:00-12:00 cap 2/2"
    assert capped.trace["caps"] == [
        {"scope": f"number:{CAPPED}", "period": "day", "count": 3, "limit": 100,
         "blocked": False},
        {"scope": f"number:{CAPPED}", "period": "block 09:00-12:00", "count": 2, "limit": 2,
         "blocked": True}]
    assert [c["period"] for c in after.trace["caps"]] == ["day"]


async def test_an_overnight_block_counts_from_the_evening_before(running: Running) -> None:
    assert await call(running, CAPPED, local(24, 23)) == "answered"
    assert await call(running, CAPPED, local(25, 1)) == "capped"  # 01:00 on the 25th, as local
    assert await call(running, CAPPED, local(25, 6)) == "answered"  # 06:00 ends it
    assert await call(running, CAPPED, local(25, 22)) == "answered"  # a new occurrence
    [*_, late] = await running.calls()
    assert {"scope": f"number:{CAPPED}", "period": "block 22:00-06:00", "count": 0,
            "limit": 1, "blocked": False} in late.trace["caps"]


async def test_a_target_at_its_block_cap_is_skipped_until_the_block_ends(
        running: Running) -> None:
    assert await call(running, ROUTED, local(24, 9, 30)) == "answered"
    assert await call(running, ROUTED, local(24, 11)) == "answered"
    assert await call(running, ROUTED, local(24, 12, 30)) == "answered"
    rows = await running.calls()
    assert [c.end.answered_target for c in rows if c.end] == ["desk", "spare", "desk"]
    assert rows[1].trace["plan"]["skipped"] == [
        {"target": "desk", "reason": "capped: block 09:00-12:00 1/1"}]
