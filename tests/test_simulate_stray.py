"""`simulate` of a number the config does not route: the contract's keys, and `--record`
writing the stray call's record as a call over FastAGI would (tests/numbers/test_api.py)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from callserver.cli import main
from callserver.store.call_values import CallStatus
from callserver.store.db import open_store
from tests.numbers.conftest import CHICAGO, CONFIG, without
from tests.test_simulate_cli import DEMO, KEYS


def simulate(capsys: pytest.CaptureFixture[str], config: str, *args: str) -> dict[str, Any]:
    assert main(["simulate", "--config", config, "--from", "312 555 0000",
                 "--at", "2026-11-24T15:00:00Z", *args]) == 0
    trace: dict[str, Any] = json.loads(capsys.readouterr().out)
    return trace


def test_an_unknown_number_has_every_key_null_where_nothing_applies(
        capsys: pytest.CaptureFixture[str]) -> None:
    trace = simulate(capsys, DEMO, "--to", "(415) 555-0000")
    assert set(trace) >= KEYS
    assert (trace["number"], trace["caller"], trace["at"]) == (
        "+14155550000", "+13125550000", "2026-11-24T15:00:00Z")
    assert (trace["campaign"], trace["source"], trace["hours"], trace["ivr"], trace["plan"]) == (
        None, None, None, None, None)
    assert (trace["caps"], trace["attempts"], trace["outcome"]) == ([], [], "unknown-number")


def test_record_writes_an_unknown_number_s_call(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "calls.sqlite3"
    trace = simulate(capsys, DEMO, "--to", "+14155550000", "--record", "--db", str(db))
    rows = asyncio.run(_rows(db))
    assert rows == [(trace["call_id"], "+14155550000", "+13125550000", None, "unknown-number",
                     "2026-11-24T15:00:00.000000Z")]


def test_record_marks_a_released_number_s_call_with_its_campaign(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, db = tmp_path / "callserver.yaml", tmp_path / "callserver.sqlite3"
    config.write_text(CONFIG)
    assert main(["numbers", "release", "--config", str(config), "--db", str(db), CHICAGO]) == 0
    config.write_text(without(CHICAGO))
    capsys.readouterr()
    trace = simulate(capsys, str(config), "--to", CHICAGO, "--record", "--db", str(db))
    assert (trace["outcome"], trace["campaign"]) == ("unknown-number", "spring")
    assert trace["reason"].startswith("released from campaign spring")
    [row] = asyncio.run(_rows(db))
    assert row[1:5] == (CHICAGO, "+13125550000", "spring", CallStatus.RELEASED)


def test_a_released_number_still_in_the_file_is_routed_as_serve_would(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Out of service until its lines are deleted (README): the call goes back to the
    dialplan as a released number's, not through the campaign's flow."""
    config, db = tmp_path / "callserver.yaml", tmp_path / "callserver.sqlite3"
    config.write_text(CONFIG)
    assert main(["numbers", "release", "--config", str(config), "--db", str(db), CHICAGO]) == 0
    capsys.readouterr()
    trace = simulate(capsys, str(config), "--to", CHICAGO, "--record", "--db", str(db))
    assert (trace["outcome"], trace["campaign"], trace["plan"]) == (
        "unknown-number", "spring", None)
    [row] = asyncio.run(_rows(db))
    assert row[1:5] == (CHICAGO, "+13125550000", "spring", CallStatus.RELEASED)


async def _rows(db: Path) -> list[tuple[Any, ...]]:
    store = await open_store(db)
    try:
        return await store.read(lambda c: [tuple(r) for r in c.execute(
            "SELECT id, number, caller, campaign, status, started_at FROM calls")])
    finally:
        await store.close()
