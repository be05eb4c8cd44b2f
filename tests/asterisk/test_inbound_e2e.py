"""Whole calls: a fake PBX speaking FastAGI to the real server; each ends with its call row."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from callserver.store.call_values import CallStatus
from tests.asterisk.conftest import Running
from tests.peers.pbx import PbxCall

TV = "+18005550102"
SEARCH = "+18005550101"
BUYER_A = "cs-buyer-a/sip:calls@buyer-a.example.com"
BUYER_B = "+16465550187@carrier"


async def test_answered_call_is_recorded_with_its_attribution(running: Running) -> None:
    pbx = await PbxCall(running.agi_port, "8005550101", digits="1",
                        targets={"dispatch@pbx": "answer"}).run()
    assert pbx.variables["CALLSERVER_RESULT"] == "answered"
    [dial] = pbx.sent("EXEC Dial")
    assert dial[2].startswith("PJSIP/dispatch@pbx,20,A(") and dial[2].endswith("/whisper)")
    assert pbx.sent("EXEC MixMonitor")  # the campaign says record: true
    [call] = await running.calls()
    assert call.status is CallStatus.ANSWERED
    assert (call.number, call.caller, call.campaign, call.source) == (
        SEARCH, "+13125550123", "plumbing", "google-ads")
    assert call.uniqueid == "1764000000.1"
    assert call.ivr_path == ("1",) and call.tags["dept"] == "sales"
    assert call.end is not None and call.end.answered_target == "dispatch"
    assert call.end.talk_seconds == 95 and call.end.converted is True
    assert call.end.recording is not None and call.end.recording.endswith(f"{call.id}.wav")
    assert call.trace["outcome"] == "answered"
    assert pbx.variables["CALLSERVER_CALL_ID"] == call.id
    # The dialplan (and Asterisk's CDR) sees the attribution and every tag of the call.
    assert (pbx.variables["CALLSERVER_CAMPAIGN"], pbx.variables["CALLSERVER_SOURCE"]) == (
        "plumbing", "google-ads")
    assert {name.removeprefix("CALLSERVER_TAG_"): value for name, value in pbx.variables.items()
            if name.startswith("CALLSERVER_TAG_")} == dict(call.tags)


async def test_no_answer_fails_over_to_the_second_target(running: Running) -> None:
    pbx = await PbxCall(running.agi_port, SEARCH, digits="1",
                        targets={"dispatch@pbx": "noanswer", "overflow@pbx": "answer"}).run()
    dials = [words[2].split(",")[0] for words in pbx.sent("EXEC Dial")]
    assert dials == ["PJSIP/dispatch@pbx", "PJSIP/overflow@pbx"]
    [call] = await running.calls()
    assert call.end is not None
    assert call.status is CallStatus.ANSWERED and call.end.answered_target == "overflow"
    assert [a["result"] for a in call.trace["attempts"]] == ["no-answer", "answered"]


async def test_every_target_busy(running: Running) -> None:
    await PbxCall(running.agi_port, SEARCH, digits="1",
                  targets={"dispatch@pbx": "busy", "overflow@pbx": "busy"}).run()
    [call] = await running.calls()
    assert call.end is not None
    assert call.status is CallStatus.BUSY and call.end.converted is False


async def test_caller_hangs_up_in_the_ivr(running: Running) -> None:
    pbx = await PbxCall(running.agi_port, SEARCH, hangup_at="GET DATA").run()
    assert not pbx.sent("EXEC Dial")
    [call] = await running.calls()
    assert call.status is CallStatus.ABANDONED
    assert call.trace["reason"] == "caller hung up during IVR at top"


async def test_unknown_number_is_handed_back(running: Running) -> None:
    pbx = await PbxCall(running.agi_port, "+19995550000").run()
    assert pbx.sent("SET VARIABLE") == [["SET", "VARIABLE", "CALLSERVER_RESULT",
                                         "unknown-number"]]
    assert len(pbx.commands) == 1
    [call] = await running.calls()
    assert call.status is CallStatus.UNKNOWN_NUMBER and call.number == "+19995550000"


async def test_closed_hours(running: Running) -> None:
    running.now = datetime(2026, 11, 26, 18, tzinfo=UTC)  # Thanksgiving, on-call off duty
    pbx = await PbxCall(running.agi_port, SEARCH).run()
    assert pbx.variables.get("CALLSERVER_RESULT") == "closed"
    assert [w[2].rsplit("/", 1)[1] for w in pbx.sent("STREAM FILE")] == ["closed"]
    [call] = await running.calls()
    assert call.status is CallStatus.CLOSED


async def test_caller_hangs_up_while_it_rings(running: Running) -> None:
    await PbxCall(running.agi_port, SEARCH, digits="1", hangup_at="EXEC Dial").run()
    [call] = await running.calls()
    assert call.status is CallStatus.ABANDONED
    assert call.trace["reason"] == "caller hung up while dispatch rang"


async def test_cap_reached_counts_stored_calls(running: Running) -> None:
    number = "+18885550105"  # caps: {day: 40}
    for _ in range(40):
        await PbxCall(running.agi_port, number, targets={BUYER_A: "answer", BUYER_B: "answer"},
                      talk_seconds=130).run()
    pbx = await PbxCall(running.agi_port, number).run()
    assert pbx.variables["CALLSERVER_RESULT"] == "capped"
    rows = await running.calls()
    assert [c.status for c in rows].count(CallStatus.ANSWERED) == 40
    [capped] = [c for c in rows if c.status is CallStatus.CAPPED]
    assert {"scope": f"number:{number}", "period": "day", "count": 40, "limit": 40,
            "blocked": True} in capped.trace["caps"]


async def test_asterisk_vanishes_mid_call(running: Running) -> None:
    await PbxCall(running.agi_port, TV, drop_at="EXEC Dial").run()
    [call] = await running.settled()
    assert call.status is CallStatus.ABANDONED
    assert call.trace["reason"].startswith("caller hung up during dial")


async def test_target_at_its_concurrency_limit_is_skipped_live(running: Running) -> None:
    held = [PbxCall(running.agi_port, SEARCH, digits="1", targets={"dispatch@pbx": "hold"},
                    uniqueid=f"1764000000.{i}") for i in range(4)]  # dispatch takes 4 at once
    tasks = [asyncio.create_task(p.run()) for p in held]
    await asyncio.wait_for(asyncio.gather(*(p.dialling.wait() for p in held)), 10)
    fifth = await PbxCall(running.agi_port, SEARCH, digits="1", uniqueid="1764000000.9",
                          targets={"dispatch@pbx": "answer", "overflow@pbx": "answer"}).run()
    assert [w[2].split(",")[0] for w in fifth.sent("EXEC Dial")] == ["PJSIP/overflow@pbx"]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    rows = {c.uniqueid: c for c in await running.settled()}
    assert rows["1764000000.9"].trace["plan"]["skipped"] == [
        {"target": "dispatch", "reason": "busy: concurrency 4/4"}]
