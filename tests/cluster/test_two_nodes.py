"""Two real `callserver serve` processes on one private PostgreSQL, as issue 9 deploys them:
a storm of visitors across both never leases a pool number twice, a cap (of calls a day, of
calls at once on a number or on a target) is never exceeded by calls spread across both, and
a node killed mid-call leaves no open record (the survivor notices its silence) and loses no
queued webhook (the survivor sends it, at once, even one the dead node was sending)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import pytest

from callserver.store import calls, live_counts, outbox, pool_table
from callserver.store.call_values import CallStatus
from callserver.store.delivery_values import DeliveryStatus
from callserver.store.pg import PgStore, open_pg_store
from tests.peers.pbx import PbxCall
from tests.serve.conftest import Server, start_server
from tests.webhooks.receiver import Receiver

SITE = "https://www.example.com"
POOL = [f"+1312555{n:04d}" for n in range(110, 130)]
FALLBACK = "+18005550199"
CAPPED_NUMBER, HELD_NUMBER = "+18005550101", "+18005550102"
AT_ONCE_NUMBER, DESK_NUMBER = "+18005550103", "+18005550104"
CAP = 4
AT_ONCE_CAP, DESK_CAP = 3, 2
VISITORS = 300
CALLS = 24
ANSWERS = {"sales@pbx": "answer"}
HEARTBEAT_S, DEAD_AFTER_S = 0.2, 1.5
EVENTUALLY_S = 20
T = TypeVar("T")
CONFIG = f"""
timezone: America/New_York
targets:
  sales: {{dial: "PJSIP/sales@pbx"}}
  desk: {{dial: "PJSIP/desk@pbx", concurrency: {DESK_CAP}}}
sources:
  google-ads: {{type: onsite, position: 1, match: {{param: {{utm_source: "^google$"}}}}}}
  direct: {{type: onsite, position: 9, match: {{direct: true}}}}
  tv: {{type: offsite}}
campaigns:
  spring:
    swap_target: "(800) 555-0100"
    sites: ["{SITE}"]
    routing: {{targets: [{{target: sales}}]}}
    numbers:
      "{CAPPED_NUMBER}": {{source: google-ads, caps: {{day: {CAP}}}}}
      "{HELD_NUMBER}":
        source: tv
        unlock: {{webhooks: [{{on: call.started, url: "RECEIVER/slow"}}]}}
      "{AT_ONCE_NUMBER}": {{source: tv, caps: {{concurrency: {AT_ONCE_CAP}}}}}
      "{DESK_NUMBER}":
        source: tv
        unlock: {{routing: {{targets: [{{target: desk, priority: 1}},
                                     {{target: sales, priority: 2}}]}}}}
    pools:
      website: {{sources: [direct], session_timeout: 1800, fallback: "{FALLBACK}",
                numbers: [{", ".join(f'"{n}"' for n in POOL)}]}}
"""


@dataclass
class Cluster:
    a: Server
    b: Server
    store: PgStore  # the test's own view of the shared database
    receiver: Receiver


@pytest.fixture
def nodes(tmp_path: Path, pg_url: str, receiver: Receiver) -> Iterator[tuple[Server, Server]]:
    config = tmp_path / "callserver.yaml"
    config.write_text(CONFIG.replace("RECEIVER", receiver.base))
    started: list[Server] = []
    try:
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            started.append(start_server(tmp_path / name, config=config, db=pg_url, env={
                "CALLSERVER_NODE": name, "CALLSERVER_HEARTBEAT_S": str(HEARTBEAT_S),
                "CALLSERVER_NODE_TIMEOUT_S": str(DEAD_AFTER_S)}))
        yield started[0], started[1]
    finally:
        for server in started:
            if server.proc.poll() is None:
                server.proc.send_signal(signal.SIGTERM)
            server.proc.wait(timeout=15)


@pytest.fixture
async def cluster(nodes: tuple[Server, Server], pg_url: str,
                  receiver: Receiver) -> AsyncIterator[Cluster]:
    store = await open_pg_store(pg_url)
    yield Cluster(*nodes, store, receiver)
    await store.close()


async def _visit(http: aiohttp.ClientSession, server: Server, n: int) -> dict[str, Any]:
    headers = {"Origin": SITE, "Content-Type": "text/plain", "User-Agent": "Mozilla/5.0 (X11)",
               "X-Forwarded-For": f"10.0.{n // 250}.{n % 250}"}
    body = json.dumps({"campaign": "spring", "url": f"{SITE}/", "referrer": ""})
    async with http.post(f"http://127.0.0.1:{server.http}/swap/session", data=body,
                         headers=headers) as response:
        answer: dict[str, Any] = await response.json()
        assert response.status == 200, answer
        return answer


async def test_a_storm_across_both_nodes_never_leases_a_number_twice(cluster: Cluster) -> None:
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        answers = await asyncio.wait_for(asyncio.gather(*(
            _visit(http, cluster.a if n % 2 else cluster.b, n) for n in range(VISITORS))), 45)
    shown = Counter(answer["number"] for answer in answers)
    assert {number: shown[number] for number in POOL} == dict.fromkeys(POOL, 1)
    assert shown[FALLBACK] == VISITORS - len(POOL)
    assert len({answer["session_id"] for answer in answers}) == VISITORS
    usage = await cluster.store.read(pool_table.usage, datetime.now(UTC))
    assert usage == {"spring/website": pool_table.PoolUsage(size=len(POOL), active=len(POOL))}


async def test_a_cap_is_never_exceeded_by_calls_spread_across_both_nodes(
        cluster: Cluster) -> None:
    pbx_calls = [PbxCall((cluster.a if n % 2 else cluster.b).agi, CAPPED_NUMBER,
                         callerid=f"+1646555{n:04d}", uniqueid=f"1764000000.{n}",
                         targets=ANSWERS) for n in range(CALLS)]
    await asyncio.wait_for(asyncio.gather(*(call.run() for call in pbx_calls)), 45)
    rows = await cluster.store.read(lambda conn: list(conn.execute(
        "SELECT node, status FROM calls WHERE number = ?", (CAPPED_NUMBER,))))
    statuses = Counter(row["status"] for row in rows)
    assert statuses == {CallStatus.ANSWERED: CAP, CallStatus.CAPPED: CALLS - CAP}
    assert {row["node"] for row in rows} == {"a", "b"}
    assert [call.variables.get("CALLSERVER_RESULT") for call in pbx_calls].count(
        "capped") == CALLS - CAP


async def test_calls_at_once_never_exceed_a_number_s_concurrency_cap_across_both_nodes(
        cluster: Cluster) -> None:
    pbx_calls = [PbxCall((cluster.a if n % 2 else cluster.b).agi, AT_ONCE_NUMBER,
                         callerid=f"+1646555{n:04d}", uniqueid=f"1764000000.{n}",
                         targets={"sales@pbx": "hold"}) for n in range(CALLS)]
    async with _running(pbx_calls) as tasks:
        # Each call is either turned away or rings on: wait until every one is either.
        await _until(lambda: all(t.done() or c.dialling.is_set()
                                 for c, t in zip(pbx_calls, tasks, strict=True)))
        assert sum(c.dialling.is_set() for c in pbx_calls) == AT_ONCE_CAP
        assert [c.variables.get("CALLSERVER_RESULT") for c in pbx_calls].count(
            "capped") == CALLS - AT_ONCE_CAP
        rows = await cluster.store.read(lambda conn: list(conn.execute(
            "SELECT node, status FROM calls WHERE number = ?", (AT_ONCE_NUMBER,))))
        assert Counter(row["status"] for row in rows)[CallStatus.IN_PROGRESS] == AT_ONCE_CAP
        assert {row["node"] for row in rows} == {"a", "b"}


async def test_a_target_never_rings_more_calls_than_its_concurrency_cap_across_both_nodes(
        cluster: Cluster) -> None:
    pbx_calls = [PbxCall((cluster.a if n % 2 else cluster.b).agi, DESK_NUMBER,
                         callerid=f"+1646555{n:04d}", uniqueid=f"1764000000.{n}",
                         targets={"desk@pbx": "hold", "sales@pbx": "answer"})
                 for n in range(CALLS)]

    def on_desk(call: PbxCall) -> bool:
        dials = call.sent("EXEC Dial")
        return bool(dials) and dials[-1][2].startswith("PJSIP/desk@pbx,")

    async with _running(pbx_calls) as tasks:
        # Each call either rings on at the desk or, the desk full, is answered by sales.
        await _until(lambda: all(t.done() or on_desk(c)
                                 for c, t in zip(pbx_calls, tasks, strict=True)))
        assert sum(on_desk(c) for c in pbx_calls) == DESK_CAP
        assert [c.variables.get("CALLSERVER_RESULT") for c in pbx_calls].count(
            "answered") == CALLS - DESK_CAP
        assert await cluster.store.read(live_counts.count, "target", "desk", CALLS) == DESK_CAP


async def test_a_node_killed_mid_call_leaves_no_open_record_and_loses_no_webhook(
        cluster: Cluster) -> None:
    # Either node's worker may claim the call's webhook; b is paused until a has, so that a
    # dies holding the claim (on a loaded machine b's poll sometimes came first).
    cluster.b.signal(signal.SIGSTOP)
    try:
        pbx = PbxCall(cluster.a.agi, HELD_NUMBER, targets={"sales@pbx": "hold"})
        ringing = asyncio.create_task(pbx.run())
        await asyncio.wait_for(pbx.dialling.wait(), 10)
        # Node a is sending the call's webhook to a receiver that does not answer yet.
        await _until(lambda: len(cluster.receiver.at("/slow")) == 1)
    finally:
        cluster.b.signal(signal.SIGCONT)
    [open_call] = await cluster.store.read(calls.in_progress)
    assert open_call.node == "a"
    [claimed] = await cluster.store.read(outbox.with_status, DeliveryStatus.CLAIMED, 10)
    assert claimed.claimed_by == "a"

    cluster.a.signal(signal.SIGKILL)
    cluster.a.proc.wait(timeout=10)
    ringing.cancel()  # the held call rings on in the PBX; its AGI connection is gone
    with contextlib.suppress(asyncio.CancelledError):
        await ringing

    closed = await _eventually(lambda: cluster.store.read(calls.get, open_call.id),
                               lambda call: call is not None and call.status is not
                               CallStatus.IN_PROGRESS)
    assert closed is not None and closed.status is CallStatus.INTERRUPTED
    assert await cluster.store.read(calls.in_progress) == []
    cluster.b.wait_for_log("a node stopped beating")

    # Due again as soon as b found a dead, long before a's claim would have run out (HOLD).
    await _until(lambda: len(cluster.receiver.at("/slow")) == 2)
    cluster.receiver.release.set()
    delivered = await _eventually(
        lambda: cluster.store.read(outbox.with_status, DeliveryStatus.DELIVERED, 10), bool)
    assert [(d.call_id, d.claimed_by) for d in delivered] == [(open_call.id, "b")]
    first, second = cluster.receiver.at("/slow")
    assert first.headers["webhook-id"] == second.headers["webhook-id"]  # one delivery, resent


@contextlib.asynccontextmanager
async def _running(pbx_calls: list[PbxCall]) -> AsyncIterator[list[asyncio.Task[PbxCall]]]:
    """The calls, running until the block ends (calls still ringing are then dropped)."""
    tasks = [asyncio.create_task(call.run()) for call in pbx_calls]
    try:
        yield tasks
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _until(done: Callable[[], bool]) -> None:
    """Once `done` holds (what the calls' PBX side or the receiver saw)."""
    async with asyncio.timeout(EVENTUALLY_S):
        while not done():  # noqa: ASYNC110 - the servers act in other processes
            await asyncio.sleep(0.05)


async def _eventually(read: Callable[[], Awaitable[T]], done: Callable[[T], bool]) -> T:
    """What `read` returns once `done` holds, polling (the other node acts on its own time)."""
    async with asyncio.timeout(EVENTUALLY_S):
        while not done(found := await read()):  # noqa: ASYNC110 - another process writes it
            await asyncio.sleep(0.1)
    return found
