"""`callserver simulate`: the JSON contract, and one-line errors for bad arguments."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from callserver.cli import main

DEMO = str(Path(__file__).parents[1] / "examples" / "demo.yaml")
KEYS = {"number", "campaign", "source", "hours", "caps", "ivr", "plan", "attempts", "outcome"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = main(["simulate", "--config", DEMO, "--from", "+13125550000", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else {}), err


def test_prints_every_decision(capsys: pytest.CaptureFixture[str]) -> None:
    code, trace, _ = run(capsys, "--to", "(800) 555-0101", "--at", "2026-11-24T15:00:00Z",
                         "--digits", "1", "--busy", "dispatch")
    assert code == 0 and set(trace) >= KEYS
    assert trace["number"] == "+18005550101" and trace["campaign"] == "plumbing"
    assert trace["source"] == "google-ads"
    assert trace["hours"] == {"open": True, "reason": "open: tue 08:00-18:00 America/Chicago",
                              "next_open": None}
    assert {"scope": "campaign:plumbing", "period": "day", "count": 0, "limit": 400,
            "blocked": False} in trace["caps"]
    assert trace["ivr"]["path"] == ["1"] and trace["ivr"]["tags"] == {"dept": "sales"}
    assert trace["plan"]["targets"] == ["dispatch", "overflow"]
    assert trace["plan"]["ring_timeout"] == 20 and trace["plan"]["skipped"] == []
    assert [(a["targets"], a["result"]) for a in trace["attempts"]] == [
        (["dispatch"], "busy"), (["overflow"], "answered")]
    assert trace["outcome"] == "answered"


def test_repeated_busy_and_no_answer_add_up(capsys: pytest.CaptureFixture[str]) -> None:
    """`--no-answer dispatch --no-answer overflow` is both, as `--no-answer dispatch overflow`."""
    at = ("--to", "(800) 555-0101", "--at", "2026-11-24T15:00:00Z")
    for flags in (["--no-answer", "dispatch", "--no-answer", "overflow"],
                  ["--no-answer", "dispatch", "overflow"],
                  ["--busy", "dispatch", "--no-answer", "overflow"]):
        _, trace, _ = run(capsys, *at, *flags)
        assert [a["answered_by"] for a in trace["attempts"]] == [None, None], flags
        assert trace["outcome"] != "answered", flags


def test_closed_gives_next_opening(capsys: pytest.CaptureFixture[str]) -> None:
    _, trace, _ = run(capsys, "--to", "800-555-0102", "--at", "2026-11-26T16:00:00Z")
    assert trace["outcome"] == "closed"
    assert trace["hours"]["reason"].startswith("closed: holiday 2026-11-26")
    assert trace["hours"]["next_open"] == "2026-11-27T14:00:00Z"


def test_counts_reach_the_caps(capsys: pytest.CaptureFixture[str]) -> None:
    _, trace, _ = run(capsys, "--to", "8885550104",
                      "--counts", '{"campaign:insurance": {"day": 120}}')
    assert trace["outcome"] == "capped"


ROUND_ROBIN = """
targets: {a: {dial: "PJSIP/a"}, b: {dial: "PJSIP/b"}}
campaigns:
  c:
    routing: {strategy: round_robin, targets: [{target: a}, {target: b}]}
    numbers: {"8005550101": {}}
"""


def test_counts_put_a_round_robin_list_at_a_turn(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The list is named as the plan's `rotation.list` names it."""
    config = tmp_path / "rr.yaml"
    config.write_text(ROUND_ROBIN)
    code = main(["simulate", "--config", str(config), "--from", "+13125550000",
                 "--to", "8005550101", "--counts", '{"rotation": {"c:a,b": 1}}'])
    trace = json.loads(capsys.readouterr().out)
    assert code == 0 and trace["plan"]["rotation"] == {"list": "c:a,b", "turn": 1, "next": 2}
    assert trace["plan"]["targets"] == ["b", "a"]


def test_unknown_number(capsys: pytest.CaptureFixture[str]) -> None:
    code, trace, _ = run(capsys, "--to", "+19995550000")
    assert code == 0 and trace["outcome"] == "unknown-number"


@pytest.mark.parametrize(("args", "message"), [
    (["--to", "8005550101", "--at", "yesterday"], "Invalid isoformat string"),
    (["--to", "8005550101", "--counts", "[1]"], "--counts must be a JSON object"),
    (["--to", "8005550101", "--counts", '{"x": {}}'], "must be number:N"),
    (["--to", "8005550101", "--counts", '{"campaign:a": {"days": 1}}'], "days"),
    (["--to", "8005550101", "--counts", '{"rotation": 1}'], "rotation maps each round-robin"),
    (["--to", "8005550101", "--counts", '{"rotation": {"l": -1}}'], "a whole number >= 0"),
    (["--to", "8005550101", "--digits", "1a"], "--digits '1a'"),
    (["--to", "8005550101", "--busy", "nobody"], "unknown target 'nobody'"),
])
def test_bad_arguments_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                               args: list[str], message: str) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


async def test_record_writes_the_call_as_a_real_one_would(tmp_path: Path) -> None:
    from callserver.store import calls
    from callserver.store.db import open_store

    db = tmp_path / "calls.sqlite3"
    code = await asyncio.to_thread(main, [
        "simulate", "--config", DEMO, "--from", "+13125550000", "--to", "8005550101",
        "--at", "2026-11-24T15:00:00Z", "--digits", "1", "--record", "--db", str(db)])
    assert code == 0
    store = await open_store(db)
    try:
        [call_id] = await store.read(lambda c: [r[0] for r in c.execute("SELECT id FROM calls")])
        call = await store.read(calls.get, call_id)
    finally:
        await store.close()
    assert call is not None and call.status == "answered"
    assert (call.campaign, call.source, call.ivr_path) == ("plumbing", "google-ads", ("1",))
    assert call.end is not None and call.end.answered_target == "dispatch"
    assert call.end.converted is True and call.trace["outcome"] == "answered"


def test_record_needs_a_db(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--to", "8005550101", "--record")
    assert code == 2 and "--record needs --db" in err


def test_recorded_calls_count_toward_caps(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "calls.sqlite3")
    config = tmp_path / "c.yaml"
    config.write_text("""
timezone: UTC
targets: {a: {dial: "PJSIP/a"}}
campaigns:
  c: {caps: {day: 2}, routing: {targets: [{target: a}]}, numbers: {"8005550101": {}}}
""")
    outcomes = []
    for _ in range(3):
        assert main(["simulate", "--config", str(config), "--from", "+13125550000",
                     "--to", "8005550101", "--record", "--db", db]) == 0
        outcomes.append(json.loads(capsys.readouterr().out)["outcome"])
    assert outcomes == ["answered", "answered", "capped"]


BLOCKED = """
timezone: America/New_York
schedules:
  office: {open: {daily: "08:00-20:00"}}
targets: {desk: {dial: "PJSIP/desk@pbx"}}
campaigns:
  leads:
    schedule: office
    caps: {blocks: [{hours: "09:00-12:00", calls: 20}]}
    routing: {targets: [{target: desk}]}
    numbers: {"+18005550177": {}}
"""


@pytest.mark.parametrize(("at", "outcome", "consulted"), [
    ("2026-11-24T15:00:00Z", "capped", [("block 09:00-12:00", 20, True)]),  # 10:00 in New York
    ("2026-11-24T18:00:00Z", "answered", []),  # 13:00: no block in force, the count ignored
])
def test_a_block_count_reaches_the_block_in_force(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, at: str, outcome: str,
        consulted: list[tuple[str, int, bool]]) -> None:
    config = tmp_path / "blocked.yaml"
    config.write_text(BLOCKED)
    code = main(["simulate", "--config", str(config), "--from", "+13125550000",
                 "--to", "+18005550177", "--at", at,
                 "--counts", '{"campaign:leads": {"block": 20}}'])
    trace = json.loads(capsys.readouterr().out)
    assert code == 0 and trace["outcome"] == outcome
    assert [(c["period"], c["count"], c["blocked"]) for c in trace["caps"]] == consulted


def test_a_block_count_must_be_a_whole_number(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--to", "8005550101",
                       "--counts", '{"campaign:plumbing": {"block": -1}}')
    assert code == 2 and "block must be a whole number >= 0" in err
