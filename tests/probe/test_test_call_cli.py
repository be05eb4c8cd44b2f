"""`callserver test-call` against SIPp over loopback, reading the record from a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from callserver.cli import main
from tests.probe.conftest import NUMBER, StartPbx, needs_sipp, record_command
from tests.probe.pbx import SECRET, USER, silent_greeting

pytestmark = needs_sipp
CLI_TIMEOUT_S = 45


def test_call(server: str, db: Path, *args: str, secret: str = SECRET,
              ) -> tuple[int, dict[str, Any] | str]:
    env = {**os.environ, "CALLSERVER_TESTCALL_USER": USER, "CALLSERVER_TESTCALL_SECRET": secret}
    done = subprocess.run(
        [sys.executable, "-m", "callserver", "test-call", "(800) 555-0101", "--server", server,
         "--db", str(db), "--audio-timeout", "3", "--register-timeout", "5",
         "--record-timeout", "8", *args],  # roomy: the fake PBX records by a process it spawns
        capture_output=True, text=True, env=env, timeout=CLI_TIMEOUT_S)
    try:
        return done.returncode, json.loads(done.stdout)
    except json.JSONDecodeError:
        return done.returncode, done.stdout + done.stderr


test_call.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def test_hears_the_greeting_sends_the_digits_and_reports_the_routing(
        pbx: StartPbx, config: Path, db: Path) -> None:
    peer = pbx(record_command(config, db, "2"))
    code, report = test_call(peer.server, db, "--digits", "2", "--expect-target", "overflow")
    assert isinstance(report, dict), report
    assert code == 0, report["problems"]
    call, routing = report["call"], report["routing"]
    assert call["answered"] and call["first_audio_s"] is not None and call["audio_frames"] > 0
    # SIPp echoes the caller's RTP: the digit came back as an RFC 2833 telephone-event
    assert call["digits_sent"] == "2" and call["dtmf_heard"] == "2"
    assert routing["campaign"] == "spring" and routing["ivr_path"] == ["2"]
    assert routing["dialled"] == ["overflow"] and routing["answered_target"] == "overflow"
    assert report["number"] == NUMBER and report["ok"] is True


def test_a_call_that_misses_the_expected_target_exits_1(pbx: StartPbx, config: Path,
                                                        db: Path) -> None:
    peer = pbx(record_command(config, db, ""))
    code, report = test_call(peer.server, db, "--expect-target", "overflow")
    assert code == 1 and isinstance(report, dict), report
    assert report["problems"] == ["did not reach overflow (dialled dispatch)"]
    assert report["routing"]["answered_target"] == "dispatch"


def test_dead_air_fails_the_greeting_check(pbx: StartPbx, config: Path, db: Path,
                                           tmp_path: Path) -> None:
    silence = silent_greeting(tmp_path / "silence.pcap")
    peer = pbx(record_command(config, db, ""), greeting=silence, echo=False)
    code, report = test_call(peer.server, db)
    assert code == 1 and isinstance(report, dict), report
    assert report["call"]["answered"] and report["call"]["first_audio_s"] is None
    assert report["problems"] == ["no audio within 3s of the answer"]
    assert report["routing"]["dialled"] == ["dispatch"]


def test_a_call_callserver_never_saw_fails(pbx: StartPbx, db: Path) -> None:
    peer = pbx("true")  # the PBX answers but never hands the call over
    code, report = test_call(peer.server, db)
    assert code == 1 and isinstance(report, dict), report
    assert report["routing"] is None
    assert report["problems"][0].startswith("no call record for +18005550101")


def test_a_refused_registration_fails_without_calling(pbx: StartPbx, config: Path,
                                                      db: Path) -> None:
    peer = pbx(record_command(config, db, ""))
    code, report = test_call(peer.server, db, secret="wrong")
    assert code == 1 and isinstance(report, dict), report
    assert report["call"]["answered"] is False
    assert report["problems"][0].startswith(f"not registered with {peer.server} as {USER}")


def test_usage_errors_exit_2_before_any_call(db: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CALLSERVER_TESTCALL_USER", raising=False)
    cases = {("+18005550101", "--db", str(db)): "set CALLSERVER_TESTCALL_USER",
             ("not a number", "--db", str(db)): "is not a phone number",
             ("+18005550101", "--db", str(tmp_path / "none.sqlite3")): "no database at",
             ("+18005550101", "--db", str(db), "--digits", "1x"): "use 0-9, * and #"}
    for args, message in cases.items():
        assert main(["test-call", *args]) == 2, args
        printed = capsys.readouterr()
        assert message in printed.err and printed.out == "", (args, printed)
