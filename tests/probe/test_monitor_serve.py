"""The monitor inside a real `callserver serve`: it calls the configured number through SIPp
on its own, and the last result shows in /api/monitor and /metrics."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Any

from tests.probe.conftest import CONFIG, NUMBER, StartPbx, needs_sipp, record_command
from tests.probe.pbx import SECRET, USER
from tests.serve.conftest import ADMIN_TOKEN, Server, start_server

pytestmark = needs_sipp
WAIT_S = 40


def monitored(server: Server, deadline: float) -> dict[str, Any]:
    while True:
        status, body = server.get("/api/monitor", ADMIN_TOKEN)
        assert status == 200, body
        entry: dict[str, Any] = json.loads(body)["numbers"][0]
        if entry["last"] is not None:
            return entry
        assert time.monotonic() < deadline and server.proc.poll() is None, server.output()
        time.sleep(0.25)


def test_serve_calls_the_number_on_schedule_and_reports_it(pbx: StartPbx, tmp_path: Path,
                                                          db: Path) -> None:
    config = tmp_path / "callserver.yaml"
    config.write_text(CONFIG)  # the PBX hands calls over with this config
    peer = pbx(record_command(config, db, "2"))
    config.write_text(CONFIG + f"""
monitor:
  server: "{peer.server}"
  interval_s: 3600
  numbers:
    - {{number: "(800) 555-0101", digits: "2", expect_target: overflow}}
""")
    server = start_server(tmp_path, env={"CALLSERVER_TESTCALL_USER": USER,
                                         "CALLSERVER_TESTCALL_SECRET": SECRET})
    try:
        entry = monitored(server, time.monotonic() + WAIT_S)
        last = entry["last"]
        assert last["ok"] is True, last["problems"]
        assert last["routing"]["dialled"] == ["overflow"] and last["call"]["dtmf_heard"] == "2"
        assert entry["number"] == NUMBER and entry["interval_s"] == 3600
        assert entry["next_run"] > last["call"]["ended_at"]  # passed: next in an hour

        status, body = server.get("/metrics", ADMIN_TOKEN)
        text = body.decode()
        assert status == 200
        assert f'callserver_testcall_ok{{number="{NUMBER}"}} 1' in text
        assert f'callserver_testcall_first_audio_seconds{{number="{NUMBER}"}}' in text
        assert server.get("/api/monitor")[0] == 401
    finally:
        server.signal(signal.SIGTERM)
        assert server.proc.wait(timeout=30) == 0
