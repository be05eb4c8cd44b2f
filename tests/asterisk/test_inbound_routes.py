"""Whole calls over FastAGI for the routing shapes the demo config has: simultaneous ring, a
number's own `record`, every target congested, a target's hourly cap, an unknown number."""

from __future__ import annotations

import logging

import pytest

from callserver.store.call_values import CallStatus
from tests.asterisk.conftest import Running
from tests.peers.pbx import PbxCall

SEARCH = "+18005550101"
TV = "+18005550102"  # unlocks its routing: dispatch and overflow at once, 25 s
AFFILIATE = "+18005550103"  # record: false, in a campaign with record: true
LEADGEN_TV = "+18885550104"  # insurance: buyer-a and buyer-b weighted; buyer-b caps hour 10
BUYER_A = "cs-buyer-a/sip:calls@buyer-a.example.com"
BUYER_B = "+16465550187@carrier"


async def test_simultaneous_ring_dials_every_target_in_one_dial(running: Running) -> None:
    pbx = await PbxCall(running.agi_port, TV, digits="1",
                        targets={"dispatch@pbx": "noanswer", "overflow@pbx": "answer"}).run()
    [dial] = pbx.sent("EXEC Dial")
    assert dial[2].split(",")[:2] == ["PJSIP/dispatch@pbx&PJSIP/overflow@pbx", "25"]
    [call] = await running.calls()
    assert call.end is not None
    assert call.status is CallStatus.ANSWERED and call.end.answered_target == "overflow"


async def test_a_numbers_own_record_false_wins_over_its_campaign(running: Running) -> None:
    recorded = await PbxCall(running.agi_port, SEARCH, digits="1",
                             targets={"dispatch@pbx": "answer"}).run()
    unrecorded = await PbxCall(running.agi_port, AFFILIATE, digits="1", uniqueid="1764000000.2",
                               targets={"dispatch@pbx": "answer"}).run()
    assert recorded.sent("EXEC MixMonitor") and not unrecorded.sent("EXEC MixMonitor")
    by_number = {c.number: c for c in await running.calls()}
    unrecorded_end, recorded_end = by_number[AFFILIATE].end, by_number[SEARCH].end
    assert unrecorded_end is not None and unrecorded_end.recording is None
    assert recorded_end is not None and recorded_end.recording is not None


async def test_every_target_congested_is_a_failed_call(running: Running) -> None:
    await PbxCall(running.agi_port, SEARCH, digits="1",
                  targets={"dispatch@pbx": "congestion", "overflow@pbx": "congestion"}).run()
    [call] = await running.calls()
    assert call.end is not None
    assert call.status is CallStatus.FAILED and call.end.converted is False
    assert [a["result"] for a in call.trace["attempts"]] == ["failed", "failed"]


async def test_a_target_at_its_hourly_cap_is_passed_over(running: Running) -> None:
    for i in range(10):
        await PbxCall(running.agi_port, LEADGEN_TV, uniqueid=f"1764000000.{i}",
                      targets={BUYER_A: "noanswer", BUYER_B: "answer"}, talk_seconds=130).run()
    answered = [c.end.answered_target if c.end else None for c in await running.calls()]
    assert answered == ["buyer-b"] * 10
    pbx = await PbxCall(running.agi_port, LEADGEN_TV, uniqueid="1764000000.99",
                        targets={BUYER_A: "answer", BUYER_B: "answer"}).run()
    assert [w[2].split(",")[0] for w in pbx.sent("EXEC Dial")] == [f"PJSIP/{BUYER_A}"]
    [last] = [c for c in await running.calls() if c.uniqueid == "1764000000.99"]
    assert last.end is not None and last.end.answered_target == "buyer-a"
    assert any(skip["target"] == "buyer-b" and "hour" in skip["reason"]
               for skip in last.trace["plan"]["skipped"])


async def test_an_unknown_number_is_logged(running: Running,
                                           caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        await PbxCall(running.agi_port, "+19995550000").run()
    assert any("+19995550000" in r.getMessage() and "unknown" in r.getMessage().lower()
               for r in caplog.records)
