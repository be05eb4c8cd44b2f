"""`callserver simulate` of an after-hours call sent to voicemail: the printed trace names the
message file a real call would leave, and `--record` stores it as the call's `voicemail`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from callserver.cli import main
from callserver.store import calls
from callserver.store.db import open_store
from tests.flow.test_after_hours_voicemail_and_number_menu import config_text

AT = "2026-11-25T04:00:00Z"  # a Tuesday night in Chicago: the office is closed


async def test_the_trace_and_the_record_name_the_message_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "callserver.yaml"
    config.write_text("recordings_dir: /spool/cs\n" + config_text())
    db = tmp_path / "calls.sqlite3"
    code = await asyncio.to_thread(main, [
        "simulate", "--config", str(config), "--from", "+13125550000", "--to", "8005550101",
        "--at", AT, "--record", "--db", str(db)])
    trace = json.loads(capsys.readouterr().out)
    path = f"/spool/cs/voicemail/{trace['call_id']}.wav"
    assert code == 0 and (trace["outcome"], trace["voicemail"]) == ("closed", path)
    store = await open_store(db)
    try:
        call = await store.read(calls.get, trace["call_id"])
    finally:
        await store.close()
    assert call is not None and call.end is not None and call.end.voicemail == path
