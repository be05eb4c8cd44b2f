"""`GET /api/numbers`: the admin's whole inventory, released numbers included; a publisher's
own numbers from the live config, and nothing of anyone else's."""

from __future__ import annotations

from typing import Any

from tests.numbers.conftest import (
    ADMIN,
    CHICAGO,
    FALL,
    FALLBACK,
    POOL,
    PUBLISHER,
    SEARCH,
    served,
)

LIST = "/api/numbers"


async def _get(server: Any, params: dict[str, str] | list[tuple[str, str]] | None = None,
               token: str | None = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with server.http.get(f"{server.base}{LIST}", params=params or {},
                               headers=headers) as answer:
        return answer.status, await answer.json()


async def test_the_admin_lists_the_inventory_with_released_numbers(tmp_path: Any) -> None:
    async with served(tmp_path) as server:
        await server.post("/api/numbers/release", {"numbers": [CHICAGO]})
        listed = (await server.get(LIST))["numbers"]
        assert sorted(r["number"] for r in listed) == sorted(
            [SEARCH, CHICAGO, *POOL, FALLBACK, FALL])
        assert {r["number"]: r["state"] for r in listed}[CHICAGO] == "released"
        released = (await server.get(LIST, [("state", "released")]))["numbers"]
        assert [r["number"] for r in released] == [CHICAGO]
        fall = (await server.get(LIST, {"campaign": "fall"}))["numbers"]
        assert [r["number"] for r in fall] == [FALL]


async def test_a_publisher_sees_only_its_own_active_numbers(tmp_path: Any) -> None:
    async with served(tmp_path) as server:
        status, body = await _get(server, token=PUBLISHER)
        assert status == 200
        assert body["numbers"] == [{
            "number": SEARCH, "kind": "toll-free", "country": "US", "region": None,
            "campaign": "spring", "source": "google-ads", "sub_id": None, "state": "active"}]
        assert (await _get(server, {"campaign": "fall"}, PUBLISHER))[1]["numbers"] == []
        assert (await _get(server, {"state": "released"}, PUBLISHER))[1]["numbers"] == []
        await server.post("/api/numbers/release", {"numbers": [SEARCH]})
        assert (await _get(server, token=PUBLISHER))[1]["numbers"] == []


async def test_numbers_are_found_by_kind_country_region_and_prefix(tmp_path: Any) -> None:
    async with served(tmp_path) as server:
        async def found(params: list[tuple[str, str]], token: str | None = None) -> list[str]:
            status, body = await _get(server, params, token or ADMIN)
            assert status == 200, body
            return sorted(r["number"] for r in body["numbers"])

        assert await found([("kind", "toll-free")]) == sorted([SEARCH, FALLBACK, FALL])
        assert await found([("kind", "local"), ("country", "US"), ("region", "IL")]) == sorted(
            [CHICAGO, *POOL])
        assert await found([("prefix", "+1800"), ("prefix", "+1888")]) == sorted(
            [SEARCH, FALLBACK, FALL])
        assert await found([("region", "ON")]) == []
        assert await found([("kind", "toll-free")], PUBLISHER) == [SEARCH]
        assert await found([("kind", "local")], PUBLISHER) == []
        for params, reason in (({"kind": "landline"}, "kind: expected one of local"),
                               ({"country": "USA"}, "country: expected a two-letter"),
                               ({"prefix": "800-FLOWERS"}, "prefix: expected the start")):
            status, body = await _get(server, params, ADMIN)
            assert status == 400 and reason in body["error"], params


async def test_a_bad_ask_is_refused_with_a_reason(tmp_path: Any) -> None:
    async with served(tmp_path) as server:
        assert (await _get(server))[0] == 401
        for params, reason in (({"colour": "red"}, "colour: unknown parameter"),
                               ({"state": "gone"}, "state: expected one of"),
                               ([("campaign", "a"), ("campaign", "b")], "campaign: give it once")):
            status, body = await _get(server, params, PUBLISHER)
            assert status == 400 and reason in body["error"], params
