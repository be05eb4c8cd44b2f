"""`200 result=-1` from a prompt proves no hang-up (FIELD-NOTES): a missing sound file on a live
channel gives it too. The channel's status decides: a live channel's call goes on, with the
missing prompt logged; a caller gone without a `HANGUP` line (AGISIGHUP=no) ends the call at
the step they left in, not at the next command's 511."""

from __future__ import annotations

import logging

import pytest

from callserver.store.call_values import CallStatus
from tests.asterisk.conftest import Running
from tests.peers.pbx import PbxCall

SEARCH = "+18005550101"


async def test_a_missing_prompt_on_a_live_channel_is_logged_and_the_call_goes_on(
        running: Running, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, "callserver.asterisk.agi_channel"):
        pbx = await PbxCall(running.agi_port, SEARCH, digits="1",
                            missing_prompts=frozenset({"welcome"}),
                            targets={"dispatch@pbx": "answer"}).run()
    assert [c for c in pbx.commands if c.startswith("CHANNEL")] == ["CHANNEL STATUS"]
    [call] = await running.calls()
    assert call.status is CallStatus.ANSWERED
    assert any("prompt" in r.message and "welcome" in r.message and "did not play" in r.message
               for r in caplog.records)


async def test_a_missing_menu_prompt_is_checked_the_same_way(running: Running) -> None:
    pbx = await PbxCall(running.agi_port, SEARCH, missing_prompts=frozenset({"menu"}),
                        targets={"dispatch@pbx": "answer"}).run()
    assert "CHANNEL STATUS" in pbx.commands
    [call] = await running.calls()
    assert call.status is not CallStatus.ABANDONED


async def test_a_hang_up_asterisk_did_not_announce_ends_the_call_in_the_greeting(
        running: Running, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, "callserver.asterisk.agi_channel"):
        pbx = await PbxCall(running.agi_port, SEARCH, digits="1",
                            silent_hangup_at="STREAM FILE").run()
    assert not pbx.sent("GET DATA") and not pbx.sent("EXEC Dial")
    [call] = await running.calls()
    assert call.status is CallStatus.ABANDONED
    assert call.trace["reason"] == "caller hung up during greeting prompt"
    assert not [r for r in caplog.records if "did not play" in r.message]
