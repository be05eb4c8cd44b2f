"""`GET /api/pools`: what each pool holds and leases, and how big it should be."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.web.swap_support import ADMIN, POOL, config_text, swap_server


async def _pools(server: Any, token: str | None = ADMIN) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with server.http.get(f"{server.base}/api/pools", headers=headers) as response:
        return response.status, await response.json()


async def test_pools_need_the_admin_token(tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        assert (await _pools(server, None))[0] == 401
        assert (await _pools(server, "wrong"))[0] == 401


async def test_a_pool_reports_its_leases_exhaustions_and_recommended_size(
        tmp_path: Path) -> None:
    async with swap_server(tmp_path, config_text(POOL[:3])) as server:
        status, empty = await _pools(server)
        visitors = [await server.visit(ip=f"198.51.100.{i}") for i in range(5)]
        server.clock.advance(minutes=10)
        await server.visit(visitors[0]["visitor_id"], ip="198.51.100.0")
        status, report = await _pools(server)
        server.clock.advance(minutes=25)
        _, later = await _pools(server)

    assert status == 200 and empty["pools"][0]["active"] == 0
    (pool,) = report["pools"]
    assert (pool["campaign"], pool["pool"], pool["numbers"]) == ("spring", "website", POOL[:3])
    assert pool["size"] == 3 and pool["active"] == 3 and pool["utilisation"] == 1.0
    assert [lease["number"] for lease in pool["leases"]] == [POOL[1], POOL[2], POOL[0]]
    assert pool["leases"][-1]["expires_at"] == "2026-03-02T15:40:00.000000Z"
    assert pool["exhaustions_last_day"] == 2
    assert pool["peak_sessions_last_day"] == 5  # the two shown the fallback wanted one too
    assert pool["recommended_size"] == 6
    assert later["pools"][0]["active"] == 1 and later["pools"][0]["peak_sessions_last_day"] == 5


async def test_a_pool_is_shown_by_its_name_and_else_by_its_key(tmp_path: Path) -> None:
    named = config_text(POOL[:2]).replace("website: {", 'website: {name: "Website DNI Pool", ')
    async with swap_server(tmp_path, named) as server:
        _, report = await _pools(server)
    (tmp_path / "unnamed").mkdir()
    async with swap_server(tmp_path / "unnamed", config_text(POOL[:2])) as server:
        _, unnamed = await _pools(server)

    assert [(p["pool"], p["name"]) for p in report["pools"]] == [("website", "Website DNI Pool")]
    assert [(p["pool"], p["name"]) for p in unnamed["pools"]] == [("website", "website")]
