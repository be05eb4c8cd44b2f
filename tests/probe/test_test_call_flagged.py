"""`callserver test-call` with `monitor.caller_id` set to the test account's caller id: the
call it places is recorded as a test call, and the probe still reads its routing back."""

from __future__ import annotations

import asyncio
from pathlib import Path

from callserver.store import calls
from callserver.store.db import open_store
from tests.probe.conftest import CALLER, CONFIG, StartPbx, needs_sipp, record_command
from tests.probe.test_test_call_cli import test_call

pytestmark = needs_sipp


def _flags(db: Path) -> list[bool]:
    async def read() -> list[bool]:
        store = await open_store(db)
        try:
            found = await store.read(lambda conn: [calls.get(conn, row[0]) for row in
                                                   conn.execute("SELECT id FROM calls")])
        finally:
            await store.close()
        return [call.test for call in found if call is not None]

    return asyncio.run(read())


def test_the_test_call_is_flagged_and_still_read_back(pbx: StartPbx, tmp_path: Path,
                                                       db: Path) -> None:
    config = tmp_path / "monitored.yaml"
    config.write_text(CONFIG + f"""
monitor:
  server: pbx.example.com
  caller_id: "{CALLER}"
  numbers: [{{number: "+18005550101"}}]
""")
    peer = pbx(record_command(config, db, "2"))
    code, report = test_call(peer.server, db, "--digits", "2", "--expect-target", "overflow")
    assert isinstance(report, dict), report
    assert code == 0, report["problems"]
    assert report["routing"]["answered_target"] == "overflow"
    assert _flags(db) == [True]
