"""The monitor's schedule in the store, shared by nodes: of two runners on one store one calls
each due number; a restart waits out the stored result's interval; a dead node's claim ends;
and /api/monitor and /metrics on one node show what another stored.

Calls go to a PBX address with no test account set, so each fails at once (a real result all
the same, stored and served) and `retry_s: 3600` keeps a number from being called twice."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callserver.config.loader import load_config
from callserver.live import LiveConfig
from callserver.probe.monitor.runner import MonitorRunner
from callserver.store import monitor_runs
from callserver.store.db import open_store
from callserver.store.open import AnyStore
from tests.serve.conftest import ADMIN_TOKEN, start_server

NUMBERS = ("+18005550101", "+18005550102", "+18005550103")
Open = Callable[[], Awaitable[AnyStore]]


def monitored_config(path: Path, numbers: Sequence[str] = NUMBERS) -> Path:
    """A config routing `numbers` and monitoring each, once an hour however it ends."""
    routed = "".join(f'      "{n}": {{}}\n' for n in numbers)
    watched = "".join(f'    - {{number: "{n}"}}\n' for n in numbers)
    path.write_text(f"""
targets:
  dispatch: {{dial: "PJSIP/dispatch@pbx"}}
campaigns:
  spring:
    routing: {{targets: [{{target: dispatch}}]}}
    numbers:
{routed}
monitor:
  server: "127.0.0.1:9"
  interval_s: 3600
  retry_s: 3600
  numbers:
{watched}""")
    return path


@asynccontextmanager
async def running(config: Path, store: AnyStore, node: str) -> AsyncIterator[MonitorRunner]:
    """A runner of `node` on `store`, stopped as `serve` stops it (its claims released)."""
    runner = MonitorRunner(LiveConfig(config, load_config(config)), store,
                           lambda: datetime.now(UTC), env={}, node=node)
    task = asyncio.create_task(runner.run())
    try:
        yield runner
    finally:
        runner.stopping.set()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await runner.release()


async def stored(store: AnyStore, count: int) -> list[monitor_runs.Run]:
    """The stored runs once `count` numbers have a result."""
    for _ in range(1000):
        runs = [run for run in await store.read(monitor_runs.runs) if run.verdict is not None]
        if len(runs) >= count:
            return runs
        await asyncio.sleep(0.01)
    raise AssertionError(f"only {len(runs)} of {count} numbers were called")


def calls_placed(caplog: pytest.LogCaptureFixture) -> list[str]:
    numbers = []
    for record in caplog.records:
        if record.msg == "test call to %s: %s":
            assert isinstance(record.args, tuple)
            numbers.append(str(record.args[0]))
    return sorted(numbers)


async def two_runners_call_each_number_once(config: Path, open_one: Open,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "callserver.probe.monitor.runner")
    first, second = await open_one(), await open_one()
    try:
        async with running(config, first, "a"), running(config, second, "b"):
            runs = await stored(first, len(NUMBERS))
            await asyncio.sleep(0.5)  # time for a second call, were one to come
        assert calls_placed(caplog) == sorted(NUMBERS)
        assert all(run.claimed_by is None and run.ok is False for run in runs)
    finally:
        await first.close()
        await second.close()


async def test_two_runners_on_one_sqlite_file_call_each_due_number_once(
        tmp_path: Path, db: Path, caplog: pytest.LogCaptureFixture) -> None:
    await two_runners_call_each_number_once(
        monitored_config(tmp_path / "callserver.yaml"), lambda: open_store(db), caplog)


async def test_a_restarted_runner_waits_out_the_stored_results_interval(
        tmp_path: Path, db: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "callserver.probe.monitor.runner")
    config = monitored_config(tmp_path / "callserver.yaml")
    store = await open_store(db)
    try:
        async with running(config, store, "a"):
            before = await stored(store, len(NUMBERS))
        async with running(config, store, "a") as again:
            await asyncio.sleep(0.5)
            assert set(again.results) == set(NUMBERS)  # the last verdicts, read back
        assert await store.read(monitor_runs.runs) == before
        assert calls_placed(caplog) == sorted(NUMBERS)
    finally:
        await store.close()


async def test_a_dead_nodes_claim_ends_and_the_number_is_called_then(
        tmp_path: Path, db: Path) -> None:
    (number,) = NUMBERS[:1]
    config = monitored_config(tmp_path / "callserver.yaml", [number])
    store = await open_store(db)
    now = datetime.now(UTC)
    until = now + timedelta(seconds=1)
    try:
        assert await store.write(monitor_runs.claim, number, "dead", now, until, now, now)
        async with running(config, store, "b"):
            (run,) = await stored(store, 1)
        assert run.verdict is not None
        assert datetime.fromisoformat(run.verdict["call"]["placed_at"]) >= until
    finally:
        await store.close()


async def test_api_monitor_shows_the_result_another_node_stored(
        tmp_path: Path, db: Path) -> None:
    config = monitored_config(tmp_path / "callserver.yaml")
    store = await open_store(db)
    try:
        async with running(config, store, "other"):
            runs = await stored(store, len(NUMBERS))
    finally:
        await store.close()
    server = await asyncio.to_thread(start_server, tmp_path)
    try:
        status, body = await asyncio.to_thread(server.get, "/api/monitor", ADMIN_TOKEN)
        assert status == 200, body
        shown = {entry["number"]: entry["last"] for entry in json.loads(body)["numbers"]}
        assert shown == {run.number: run.verdict for run in runs}
        status, text = await asyncio.to_thread(server.get, "/metrics", ADMIN_TOKEN)
        assert status == 200
        for run in runs:  # every call failed (no test account): 0, served from the store
            assert f'callserver_testcall_ok{{number="{run.number}"}} 0' in text.decode()
    finally:
        server.signal(signal.SIGTERM)
        assert await asyncio.to_thread(server.proc.wait, 30) == 0
    store = await open_store(db)
    try:
        assert await store.read(monitor_runs.runs) == runs  # due in an hour: serve waited
    finally:
        await store.close()
