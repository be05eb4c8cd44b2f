"""Whole calls over FastAGI to a pool that sets its own call flow: its numbers and its fallback
ring the pool's targets in the pool's hours, are closed outside them though the campaign is
open, carry its sub_id, and count its caps per number (a traffic partner's pool, seed style)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callserver.store.call_values import CallStatus
from tests.asterisk.conftest import TUESDAY_NOON_CHICAGO, Running, serving_text
from tests.peers.pbx import PbxCall

POOLED, OTHER, FALLBACK = "+18005550110", "+18005550111", "+18005550119"
STATIC = "+18005550101"
CONFIG = f"""
timezone: America/Chicago
schedules:
  office: {{open: {{mon-fri: "08:00-18:00"}}}}
  partner-hours: {{open: {{tue: "09:00-11:00"}}}}
targets:
  a: {{dial: "PJSIP/a@pbx"}}
  b: {{dial: "PJSIP/b@pbx"}}
sources: {{web: {{type: onsite, match: {{always: true}}}}}}
campaigns:
  c:
    schedule: office
    routing: {{targets: [{{target: a}}]}}
    swap_target: "+18005550100"
    sites: ["https://www.example.com"]
    numbers: {{"{STATIC}": {{}}}}
    pools:
      partner:
        sources: [web]
        numbers: ["{POOLED}", "{OTHER}"]
        fallback: "{FALLBACK}"
        sub_id: partner-7
        schedule: partner-hours
        caps: {{day: 1}}
        unlock: {{routing: {{targets: [{{target: b}}]}}}}
"""
TUESDAY_TEN_CHICAGO = datetime(2026, 11, 24, 16, tzinfo=UTC)  # the pool's hours, 09:00-11:00
ANSWERING = {"a@pbx": "answer", "b@pbx": "answer"}


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with serving_text(CONFIG, tmp_path) as state:
        yield state


async def call(running: Running, number: str, at: datetime) -> PbxCall:
    running.now = at
    return await PbxCall(running.agi_port, number, targets=ANSWERING).run()


def dialled(pbx: PbxCall) -> list[str]:
    return [w[2].split(",")[0] for w in pbx.sent("EXEC Dial")]


async def test_in_its_hours_a_pool_number_rings_the_pool_s_targets(running: Running) -> None:
    pooled = await call(running, POOLED, TUESDAY_TEN_CHICAGO)
    static = await call(running, STATIC, TUESDAY_TEN_CHICAGO)
    assert (dialled(pooled), dialled(static)) == (["PJSIP/b@pbx"], ["PJSIP/a@pbx"])
    by_number = {c.number: c for c in await running.settled()}
    first, second = by_number[POOLED], by_number[STATIC]
    assert first.status is CallStatus.ANSWERED and first.end is not None
    assert first.end.answered_target == "b"
    assert (first.sub_id, first.tags["sub_id"], second.sub_id) == ("partner-7", "partner-7", None)


async def test_outside_its_hours_a_pool_number_is_closed_while_the_campaign_is_open(
        running: Running) -> None:
    pooled = await call(running, POOLED, TUESDAY_NOON_CHICAGO)
    fallback = await call(running, FALLBACK, TUESDAY_NOON_CHICAGO)
    static = await call(running, STATIC, TUESDAY_NOON_CHICAGO)
    assert [p.variables["CALLSERVER_RESULT"] for p in (pooled, fallback, static)] == [
        "closed", "closed", "answered"]
    assert (dialled(pooled), dialled(fallback)) == ([], [])
    statuses = {c.number: c.status for c in await running.settled()}
    assert statuses == {POOLED: CallStatus.CLOSED, FALLBACK: CallStatus.CLOSED,
                        STATIC: CallStatus.ANSWERED}


async def test_a_pool_s_caps_count_each_of_its_numbers_alone(running: Running) -> None:
    results = [(await call(running, number, TUESDAY_TEN_CHICAGO)).variables["CALLSERVER_RESULT"]
               for number in (POOLED, POOLED, OTHER, FALLBACK)]
    assert results == ["answered", "capped", "answered", "answered"]
    [capped] = [c for c in await running.settled() if c.status is CallStatus.CAPPED]
    assert capped.trace["reason"] == f"number:{POOLED} day cap 1/1"
