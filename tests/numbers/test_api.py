"""The real app with the inventory gate: `POST /api/numbers/release`, swap and leases that never
hand out a released number, stray calls over FastAGI recorded as `released`, reports by kind
and region, and a reload refused over the API."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

from callserver.numbers.database import connected
from callserver.store import call_totals, calls, inventory
from callserver.store.call_values import Call, CallStatus
from tests.numbers.conftest import (
    CHICAGO,
    CONFIG,
    FALL,
    FALLBACK,
    POOL,
    PUBLISHER,
    SEARCH,
    Served,
    line_of,
    moved_to_fall,
    served,
    without,
)
from tests.peers.pbx import PbxCall

HOME = "https://www.example.com/"
GOOGLE = "https://www.example.com/?utm_source=google"
RELEASE = "/api/numbers/release"


async def _calls(server: Served) -> list[Call]:
    ids = await server.store.read(lambda conn: [r[0] for r in conn.execute(
        "SELECT id FROM calls")])
    return [c for c in [await server.store.read(calls.get, i) for i in ids] if c is not None]


async def test_release_needs_the_admin_and_a_well_formed_ask(tmp_path: Any) -> None:
    async with served(tmp_path) as server:
        assert (await server.post(RELEASE, {"numbers": [SEARCH]}, token=None))[0] == 401
        assert (await server.post(RELEASE, {"numbers": [SEARCH]}, token=PUBLISHER))[0] == 403
        assert (await server.post(RELEASE, "not json"))[0] == 400
        assert (await server.post(RELEASE, {"numbers": SEARCH}))[0] == 400
        assert (await server.post(RELEASE, {"number": [SEARCH]}))[0] == 400
        status, body = await server.post(RELEASE, {"numbers": [SEARCH, "+14155550100"]})
        assert status == 404 and "+14155550100: not a number callserver has tracked" in (
            body["error"])
        assert (await server.post(RELEASE, {}))[0] == 200
        assert server.live.current.lookup(SEARCH) is not None  # nothing was released


async def test_released_numbers_leave_swap_and_the_pool_at_once(tmp_path: Any) -> None:
    async with served(tmp_path) as server:
        assert await server.shown(GOOGLE, "198.51.100.1") == SEARCH
        assert await server.shown(HOME, "198.51.100.2") == POOL[0]  # leased to that visitor
        status, body = await server.post(RELEASE, {"numbers": [SEARCH, POOL[0]]})
        assert status == 200
        assert [r["number"] for r in body["released"]] == [POOL[0], SEARCH]
        assert {r["state"] for r in body["released"]} == {"released"}
        assert body["released"][0]["free_at"].startswith("2026-05-31")
        assert body["leases_ended"] == [POOL[0]]
        assert [(d["line"], d["path"]) for d in body["delete_from_config"]] == [
            (line_of(CONFIG, SEARCH), f"campaigns.spring.numbers.{SEARCH}"),
            (line_of(CONFIG, POOL[0]), "campaigns.spring.pools.website.numbers[0]")]
        assert server.config.read_text() == CONFIG
        shown = {await server.shown(GOOGLE, "198.51.100.3"),
                 *[await server.shown(HOME, f"198.51.100.{n}") for n in range(10, 14)]}
        assert SEARCH not in shown and POOL[0] not in shown
        assert shown == {"+18005550100", POOL[1], FALLBACK}  # the page's own, the rest
        pools = (await server.get("/api/pools"))["pools"]
        assert pools[0]["numbers"] == [POOL[1]]
        assert (await server.post("/api/config/reload", {}))[0] == 200
        assert server.live.current.lookup(SEARCH) is None  # still out of service


async def test_a_call_to_a_released_number_is_recorded_with_its_former_campaign(
        tmp_path: Any) -> None:
    async with served(tmp_path) as server:
        await server.post(RELEASE, {"numbers": [SEARCH]})
        server.config.write_text(without(CHICAGO))
        assert (await server.post("/api/config/reload", {}))[0] == 200
        for number in (SEARCH, "13125550110", "+19995550000"):
            pbx = await PbxCall(server.agi_port, number).run()
            assert pbx.variables["CALLSERVER_RESULT"] == "unknown-number"  # dialplan fallback
            assert not pbx.sent("EXEC Dial")
        found = {(c.number, c.status, c.campaign) for c in await _calls(server)}
        assert found == {(SEARCH, CallStatus.RELEASED, "spring"),
                         (CHICAGO, CallStatus.RELEASED, "spring"),
                         ("+19995550000", CallStatus.UNKNOWN_NUMBER, None)}
        rows = await server.store.read(inventory.stray_calls, [SEARCH, CHICAGO, FALL])
        assert rows == {SEARCH: 1, CHICAGO: 1}
        since = server.clock.now - timedelta(days=1)
        assert await server.store.read(call_totals.count_since, "campaign", "spring", since) == 0
        by_kind = await server.get("/api/reports", {"group": "kind", "status": "released"})
        assert {r["key"]: r["calls"] for r in by_kind["rows"]} == {"toll-free": 1, "local": 1}
        by_region = await server.get("/api/reports", {"group": "region", "campaign": "spring"})
        assert {r["key"]: r["calls"] for r in by_region["rows"]} == {"Chicago, IL": 1, None: 1}


async def test_a_reload_over_the_api_is_refused_while_a_number_cools_off(
        tmp_path: Any) -> None:
    async with served(tmp_path) as server:
        server.config.write_text(without(CHICAGO))
        assert (await server.post("/api/config/reload", {}))[0] == 200
        kept = server.live.current.digest
        server.clock.advance(days=89)
        moved = moved_to_fall(CHICAGO, without(CHICAGO))
        server.config.write_text(moved)
        status, body = await server.post("/api/config/reload", {})
        assert status == 422 and body["reloaded"] is False
        [error] = body["errors"]
        assert (error["line"], error["path"]) == (line_of(moved, CHICAGO),
                                                  f"campaigns.fall.numbers.{CHICAGO}")
        assert "may join campaign 'fall' from 2026-05-31" in error["message"]
        assert server.live.current.digest == kept
        server.clock.advance(days=1)
        assert (await server.post("/api/config/reload", {}))[0] == 200
        moved_view = server.live.current.lookup(CHICAGO)
        assert moved_view is not None and moved_view.campaign == "fall"
        with connected(server.db) as conn:
            entry = inventory.get(conn, CHICAGO)
        assert entry is not None and entry.released_at is None


async def test_a_reload_the_store_cannot_check_keeps_the_config_and_answers_503(
        tmp_path: Any) -> None:
    """The inventory's database not answering is no fault of the file: 503 (try again), the
    running config kept, and the same reload goes through once the database is back."""
    async with served(tmp_path) as server:
        kept, db = server.live.current.digest, server.gate.db
        server.config.write_text(without(CHICAGO))
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]
        server.gate.db = f"postgresql://127.0.0.1:{port}/gone?connect_timeout=2"
        status, body = await server.post("/api/config/reload", {})
        assert (status, body["reloaded"], body["config"]) == (503, False, kept[:12])
        [error] = body["errors"]
        assert "number inventory could not be synced" in error["message"]
        assert "try again" in error["message"]
        assert server.live.current.digest == kept
        server.gate.db = db
        assert (await server.post("/api/config/reload", {}))[0] == 200
        assert server.live.current.lookup(CHICAGO) is None
