"""Whole calls over FastAGI from a fake PBX: after hours the caller hears the closed prompt and
is recorded (RECORD FILE) into voicemail; a number with its own menu plays that menu's prompt
(GET DATA) instead of the campaign's, or none when it turns the menu off."""

from __future__ import annotations

import shlex
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from callserver.config.prompts import SHIPPED
from callserver.store.call_values import CallStatus
from tests.asterisk.conftest import Running, serving_text
from tests.flow.test_after_hours_voicemail_and_number_menu import OWN_MENU, config_text
from tests.flow.test_flow import TUESDAY_NIGHT
from tests.peers.pbx import PbxCall

CAMPAIGN = "+18005550101"
OWN_NUMBER = "+18005550102"  # its own menu: tv-offer, key 7 rings b
NO_MENU = "+18005550103"  # ivr: false
CONFIG = ("recordings_dir: /spool/cs\n"
          + config_text(unlock=f"{{routing: {{targets: [{{target: a}}], ivr: {OWN_MENU}}}}}")
          + '      "8005550103": {unlock: {routing: {targets: [{target: b}], ivr: false}}}\n')


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with serving_text(CONFIG, tmp_path) as state:
        yield state


def heard(pbx: PbxCall) -> list[list[str]]:
    """The commands that reach the caller, in order, split as Asterisk parses them."""
    keep = ("ANSWER", "STREAM FILE", "GET DATA", "RECORD FILE", "EXEC Dial", "HANGUP")
    return [shlex.split(c) for c in pbx.commands if c.startswith(keep)]


async def test_after_hours_the_caller_hears_closed_then_leaves_a_voicemail(
        running: Running) -> None:
    running.now = TUESDAY_NIGHT
    pbx = await PbxCall(running.agi_port, CAMPAIGN, targets={"a@pbx": "answer"}).run()
    [call] = await running.calls()
    assert heard(pbx) == [
        ["ANSWER"], ["STREAM", "FILE", str((SHIPPED / "closed").resolve()), ""],
        ["RECORD", "FILE", f"/spool/cs/voicemail/{call.id}", "wav", "#", "120000", "0",
         "BEEP", "s=5"],
        ["HANGUP"]]
    assert pbx.variables["CALLSERVER_RESULT"] == "closed"
    assert call.status is CallStatus.CLOSED
    assert call.trace["ending"] == {"kind": "closed", "action": "voicemail", "prompt": "closed"}
    assert call.end is not None
    assert call.trace["voicemail"] == call.end.voicemail == f"/spool/cs/voicemail/{call.id}.wav"
    assert call.trace["reason"].endswith("after hours: voicemail; voicemail taken")


async def test_a_number_plays_its_own_menu_and_routes_by_it(running: Running) -> None:
    pbx = await PbxCall(running.agi_port, OWN_NUMBER, digits="7",
                        targets={"b@pbx": "answer"}).run()
    [menu] = pbx.sent("GET DATA")
    assert menu[2].rsplit("/", 1)[1] == "tv-offer"
    assert [w[2].split(",")[0] for w in pbx.sent("EXEC Dial")] == ["PJSIP/b@pbx"]
    [call] = await running.calls()
    assert call.ivr_path == ("7",) and call.tags["dept"] == "tv"
    assert call.end is not None and call.end.answered_target == "b"


async def test_the_campaign_menu_still_plays_for_its_other_numbers(running: Running) -> None:
    pbx = await PbxCall(running.agi_port, CAMPAIGN, digits="1",
                        targets={"a@pbx": "answer"}).run()
    assert [w[2].rsplit("/", 1)[1] for w in pbx.sent("GET DATA")] == ["menu"]


async def test_a_number_that_turns_the_menu_off_rings_straight_away(running: Running) -> None:
    pbx = await PbxCall(running.agi_port, NO_MENU, targets={"b@pbx": "answer"}).run()
    assert not pbx.sent("GET DATA")
    assert [w[2].rsplit("/", 1)[1] for w in pbx.sent("STREAM FILE")] == ["welcome"]
    [call] = await running.calls()
    assert call.status is CallStatus.ANSWERED and call.trace["ivr"] is None
