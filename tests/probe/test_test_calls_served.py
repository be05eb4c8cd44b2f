"""Test calls through the real app: calls from `monitor.caller_id` over real FastAGI are
recorded with `test` and their trace, but send no webhook to the real receiver, use up no
`caps: {day: 1}`, join no visitor session, hold on to no lease, and stay out of /api/calls,
/api/reports and /metrics unless asked for; ordinary calls beside them behave as ever."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from callserver.probe.test_calls import TEST_REASON
from callserver.store import calls
from callserver.store.call_values import Call, CallStatus
from tests.numbers.conftest import ADMIN, Served, served
from tests.peers.pbx import PbxCall
from tests.webhooks.conftest import serve
from tests.webhooks.receiver import Receiver

TEST_CALLER = "+13125550999"
STATIC = "+13125550110"  # caps: {day: 1}
POOL = "+13125550120"
FALLBACK = "+18005550199"
SALES = {"sales@pbx": "answer"}
HOME = "https://www.example.com/"
CONFIG = f"""\
timezone: America/New_York
targets: {{sales: {{dial: "PJSIP/sales@pbx"}}}}
sources:
  direct: {{type: onsite, position: 9, match: {{direct: true}}}}
  tv: {{type: offsite}}
monitor:
  server: "127.0.0.1:9"
  caller_id: "(312) 555-0999"
  interval_s: 86400
  numbers: [{{number: "{STATIC}"}}]
campaigns:
  spring:
    swap_target: "+18005550100"
    sites: ["https://www.example.com"]
    routing: {{targets: [{{target: sales}}]}}
    webhooks: [{{on: [call.started, call.completed], url: "BASE/hook"}}]
    numbers:
      "{STATIC}": {{source: tv, caps: {{day: 1}}}}
    pools:
      website: {{sources: [direct], fallback: "{FALLBACK}", release_after_call: true,
                numbers: ["{POOL}"]}}
"""


@contextlib.asynccontextmanager
async def _world(tmp_path: Path) -> AsyncIterator[tuple[Served, Receiver]]:
    receiver = Receiver()
    hooks = web.Application()
    hooks.router.add_route("*", "/{tail:.*}", receiver.handle)
    runner, receiver.base = await serve(hooks)
    try:
        async with served(tmp_path, CONFIG.replace("BASE", receiver.base)) as server:
            yield server, receiver
    finally:
        await runner.cleanup()


async def _call(server: Served, number: str, uniqueid: str, caller: str) -> Call:
    await PbxCall(server.agi_port, number, callerid=caller, uniqueid=uniqueid,
                  targets=SALES).run()
    found = await server.store.read(lambda conn: [calls.get(conn, row[0]) for row in
                                                  conn.execute("SELECT id FROM calls WHERE "
                                                               "uniqueid = ?", (uniqueid,))])
    [call] = found
    assert call is not None
    return call


async def _delivered(server: Served, receiver: Receiver, expected: int) -> set[str]:
    """The call ids of the webhooks received, once `expected` have come and the outbox is
    idle."""
    def waiting(conn: sqlite3.Connection) -> int:
        return int(conn.execute("SELECT count(*) FROM webhook_outbox "
                                "WHERE status IN ('pending', 'claimed')").fetchone()[0])

    async with asyncio.timeout(20):
        while (len(receiver.at("/hook")) < expected  # noqa: ASYNC110 - the outbox worker sends
               or await server.store.read(waiting) > 0):
            await asyncio.sleep(0.02)
    bodies = [r.body.decode() for r in receiver.at("/hook")]
    return {call_id for call_id in await server.store.read(
        lambda conn: [row[0] for row in conn.execute("SELECT id FROM calls")])
        if any(call_id in body for body in bodies)}


async def _metrics(server: Served) -> str:
    async with server.http.get(f"{server.base}/metrics",
                               headers={"Authorization": f"Bearer {ADMIN}"}) as answer:
        assert answer.status == 200
        return await answer.text()


async def test_a_test_call_is_recorded_but_sends_nothing_counts_nothing_shows_nowhere(
        tmp_path: Path) -> None:
    async with _world(tmp_path) as (server, receiver):
        test = await _call(server, STATIC, "1764000000.1", "3125550999")
        first = await _call(server, STATIC, "1764000000.2", "+13125550123")
        second = await _call(server, STATIC, "1764000000.3", "+13125550124")
        assert (test.test, test.status, test.end and test.end.answered_target) == (
            True, CallStatus.ANSWERED, "sales")
        assert test.trace["outcome"] == "answered" and test.attribution == TEST_REASON
        assert (first.test, first.status) == (False, CallStatus.ANSWERED)  # the cap held
        assert second.status is CallStatus.CAPPED  # ... and is taken by first alone

        assert await _delivered(server, receiver, 4) == {first.id, second.id}
        queued = await server.store.read(lambda conn: conn.execute(
            "SELECT count(*) FROM webhook_outbox WHERE call_id = ?", (test.id,)).fetchone())
        assert queued[0] == 0

        async def listed(**asked: str) -> list[str]:
            return [c["id"] for c in (await server.get("/api/calls", asked))["calls"]]

        assert sorted(await listed()) == sorted([first.id, second.id])
        assert sorted(await listed(test="include")) == sorted([test.id, first.id, second.id])
        assert await listed(test="only") == [test.id]
        flags = {c["id"]: c["test"] for c in (await server.get(
            "/api/calls", {"test": "include"}))["calls"]}
        assert flags == {test.id: True, first.id: False, second.id: False}
        async with server.http.get(f"{server.base}/api/calls", params={"test": "yes"},
                                   headers={"Authorization": f"Bearer {ADMIN}"}) as answer:
            assert answer.status == 400
            assert (await answer.json())["error"].startswith("test: expected one of")

        totals = [(await server.get("/api/reports", asked))["total"]
                  for asked in ({}, {"test": "include"})]
        assert [(t["calls"], t["answered"]) for t in totals] == [(2, 1), (3, 2)]
        assert 'callserver_calls{status="answered"} 1\n' in await _metrics(server)


async def test_a_test_call_to_a_pool_number_takes_no_session_and_keeps_the_lease(
        tmp_path: Path) -> None:
    async with _world(tmp_path) as (server, _):
        assert await server.shown(HOME, "198.51.100.1") == POOL
        test = await _call(server, POOL, "1764000000.1", TEST_CALLER)
        assert (test.test, test.session_id, test.source) == (True, None, None)
        assert await server.shown(HOME, "198.51.100.2") == FALLBACK  # the lease still holds
        real = await _call(server, POOL, "1764000000.2", "+13125550123")
        assert real.session_id is not None and real.source == "direct"
        assert await server.shown(HOME, "198.51.100.3") == POOL  # released after the call


async def test_a_test_call_to_a_number_no_campaign_routes_is_flagged_too(
        tmp_path: Path) -> None:
    async with _world(tmp_path) as (server, _):
        stray = await _call(server, "+13125550177", "1764000000.7", TEST_CALLER)
        ordinary = await _call(server, "+13125550177", "1764000000.8", "+13125550123")
        assert (stray.status, stray.test) == (CallStatus.UNKNOWN_NUMBER, True)
        assert (ordinary.status, ordinary.test) == (CallStatus.UNKNOWN_NUMBER, False)
        listed = (await server.get("/api/calls", {"status": "unknown-number"}))["calls"]
        assert [c["id"] for c in listed] == [ordinary.id]
