"""A caller who hangs up while told the office is closed has still made an after-hours call:
the outcome decided before the prompt stands (`closed`, not `abandoned`), so the after-hours
reports count it, and no voicemail is offered to a line that is gone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from callserver.store.call_values import CallStatus
from tests.asterisk.conftest import Running, serving_text
from tests.asterisk.test_after_hours_voicemail_and_number_menu_e2e import CAMPAIGN, CONFIG
from tests.flow.test_flow import TUESDAY_NIGHT
from tests.peers.pbx import PbxCall


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with serving_text(CONFIG, tmp_path) as state:
        state.now = TUESDAY_NIGHT
        yield state


@pytest.mark.parametrize("hang_up", ["announced", "silent"])
async def test_a_hang_up_during_the_closed_prompt_is_still_a_closed_call(
        running: Running, hang_up: str) -> None:
    """Announced: a `HANGUP` line (AGISIGHUP=yes); silent: only the prompt's `result=-1`, then
    CHANNEL STATUS's 511."""
    announced = hang_up == "announced"
    pbx = await PbxCall(running.agi_port, CAMPAIGN, targets={"a@pbx": "answer"},
                        hangup_at="STREAM FILE" if announced else None,
                        silent_hangup_at=None if announced else "STREAM FILE").run()
    [call] = await running.calls()
    assert not pbx.sent("RECORD FILE")
    assert call.status is CallStatus.CLOSED
    assert call.trace["reason"].endswith("after hours: voicemail; the caller hung up during "
                                         "the closed prompt")
    assert call.end is not None and call.end.voicemail is None
