"""The README's promise, end to end: a call placed with `callserver simulate --record` shows on
the running server's dashboard and in its report, and reaches a local webhook receiver, signed."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from callserver.webhooks.signing import verify
from tests.dashboard.conftest import Client
from tests.serve.conftest import ADMIN_TOKEN, DEMO, start_server
from tests.webhooks.conftest import serve
from tests.webhooks.receiver import Receiver

SECRET = "whsec_" + "d2Fsa3Rocm91Z2gtc2VjcmV0"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", found.handle)
    runner, found.base = await serve(app)
    yield found
    await runner.cleanup()


async def _simulate(config: Path, db: Path | str) -> dict[str, object]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "callserver", "simulate", "--config", str(config),
        "--to", "(800) 555-0101", "--from", "+1 312 555 0000", "--digits", "1",
        "--at", "2026-11-24T15:00:00Z", "--record", "--db", str(db),
        stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    assert proc.returncode == 0
    trace: dict[str, object] = json.loads(out)
    return trace


@pytest.mark.timeout(60)
async def test_a_simulated_call_reaches_the_report_and_a_webhook(
        tmp_path: Path, receiver: Receiver) -> None:
    config = tmp_path / "callserver.yaml"
    config.write_text(DEMO.read_text().replace("https://crm.example.com", receiver.base))
    server = start_server(tmp_path, env={"CRM_HOOK_SECRET": SECRET})
    try:
        trace = await _simulate(config, server.db)
        async with asyncio.timeout(20):
            await receiver.arrived.wait()  # the server's outbox worker sent it
        base = f"http://127.0.0.1:{server.http}"
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(f"{base}/api/calls",
                                headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as response:
                listed = await response.json()
            dashboard = Client(base, http)
            await dashboard.sign_in(ADMIN_TOKEN)
            _, today = await dashboard.get("/dashboard/calls")
            _, detail = await dashboard.get(f"/dashboard/calls/{trace['call_id']}")
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)

    (hook,) = receiver.at("/hooks/calls")
    assert verify(SECRET, hook.headers, hook.body, datetime.now(UTC))
    assert json.loads(hook.body)["from"] == "+13125550000"
    (call,) = listed["calls"]
    assert call["id"] == trace["call_id"]
    assert (call["status"], call["source"], call["campaign"]) == (
        "answered", "google-ads", "plumbing")
    assert f'data-call="{trace["call_id"]}"' in today
    assert "google-ads" in detail and "answered" in detail
