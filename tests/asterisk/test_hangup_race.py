"""A caller who hangs up as callserver does (the closed message ends, they put the phone down)
meets our HANGUP on a line Asterisk already reports dead: `HANGUP`, then `511` to the command.
The call has ended the way the flow decided, so its outcome stays; it is no abandoned call."""

from __future__ import annotations

from datetime import UTC, datetime

from callserver.store.call_values import CallStatus
from tests.asterisk.conftest import Running
from tests.peers.pbx import PbxCall

SEARCH = "+18005550101"


async def test_a_closed_call_the_caller_ends_as_we_hang_up_stays_closed(
        running: Running) -> None:
    running.now = datetime(2026, 11, 26, 18, tzinfo=UTC)  # Thanksgiving, on-call off duty
    pbx = await PbxCall(running.agi_port, SEARCH, gone_before="HANGUP").run()
    assert pbx.commands.count("HANGUP") == 1
    [call] = await running.calls()
    assert call.status is CallStatus.CLOSED
    assert call.trace["reason"].startswith("closed")


async def test_an_unanswered_ending_the_caller_ends_as_we_hang_up_keeps_its_outcome(
        running: Running) -> None:
    pbx = await PbxCall(running.agi_port, SEARCH, digits="1", gone_before="HANGUP",
                        targets={"dispatch@pbx": "busy", "overflow@pbx": "busy"}).run()
    assert "HANGUP" in pbx.commands
    [call] = await running.calls()
    assert call.status is CallStatus.BUSY
