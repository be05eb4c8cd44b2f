"""`simulate --record` and `test-call` take the same `--db postgresql://...` as `serve`: the
simulated call is written to PostgreSQL, and the test call's record is found there."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from callserver.cli import main
from callserver.store import calls
from callserver.store.pg import open_pg_store
from callserver.testcall_command import record_lookup

DEMO = str(Path(__file__).parents[2] / "examples" / "demo.yaml")


async def test_simulate_records_and_test_call_finds_the_call_on_postgres(pg_url: str) -> None:
    code = await asyncio.to_thread(main, [
        "simulate", "--config", DEMO, "--from", "+13125550000", "--to", "8005550101",
        "--at", "2026-11-24T15:00:00Z", "--digits", "1", "--record", "--db", pg_url])
    assert code == 0
    store = await open_pg_store(pg_url)
    try:
        [call_id] = await store.read(lambda c: [r[0] for r in c.execute("SELECT id FROM calls")])
        call = await store.read(calls.get, call_id)
    finally:
        await store.close()
    assert call is not None and (call.status, call.campaign) == ("answered", "plumbing")
    found = await record_lookup(pg_url)(call.number, call.started_at,
                                        call.started_at + timedelta(seconds=5))
    assert found is not None and found.id == call_id
    assert await record_lookup(pg_url)(call.number, call.started_at + timedelta(hours=1),
                                       call.started_at + timedelta(hours=2)) is None
