"""The monitor's task: a call it cannot place is still a result, not a silent stop."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from callserver.config.loader import load_config
from callserver.live import LiveConfig
from callserver.probe.monitor.runner import MonitorRunner
from callserver.store.db import open_store
from tests.probe.conftest import CONFIG, NUMBER

MONITOR = 'monitor: {server: "127.0.0.1:9", numbers: [{number: "+18005550101"}]}\n'


async def test_missing_credentials_are_reported_per_number(tmp_path: Path, db: Path) -> None:
    path = tmp_path / "callserver.yaml"
    path.write_text(CONFIG + MONITOR)
    store = await open_store(db)
    runner = MonitorRunner(LiveConfig(path, load_config(path)), store,
                           lambda: datetime.now(UTC), env={}, node="a")
    task = asyncio.create_task(runner.run())
    try:
        for _ in range(500):
            if NUMBER in runner.results:
                break
            await asyncio.sleep(0.01)
        verdict = runner.results[NUMBER]
        assert not verdict.ok
        assert verdict.problems[0].startswith("set CALLSERVER_TESTCALL_USER")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await store.close()
