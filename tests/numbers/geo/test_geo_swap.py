"""`geo: nearest` end to end: the real app on a loopback port, a test-built database, and the
visitor's address from X-Forwarded-For (or the peer itself)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from callserver.web.keys import LIVE
from tests.numbers.geo.mmdb_support import (
    CHICAGO,
    LONDON,
    NETWORKS,
    NEW_YORK,
    NOWHERE,
    TORONTO,
    city,
    write_mmdb,
)
from tests.web.swap_support import BROWSER, SITE, swap_server

IL_STATIC, NY_STATIC = "+13125550101", "+12125550102"
IL_POOL, NY_POOL, ON_POOL, FALLBACK = "+13125550110", "+12125550111", "+14165550112", \
    "+18005550199"
CONFIG = f"""
GEOIP
targets: {{sales: {{dial: "PJSIP/sales@pbx"}}}}
sources:
  google-ads: {{type: onsite, position: 1, match: {{param: {{utm_source: "^google$"}}}},
               geo: nearest}}
  direct: {{type: onsite, position: 9, match: {{direct: true}}}}
campaigns:
  spring:
    swap_target: "(800) 555-0100"
    sites: ["{SITE}"]
    routing: {{targets: [{{target: sales}}]}}
    numbers:
      "{IL_STATIC}": {{source: google-ads}}
      "{NY_STATIC}": {{source: google-ads}}
    pools:
      website: {{sources: [direct], geo: nearest, fallback: "{FALLBACK}",
                numbers: ["{IL_POOL}", "{NY_POOL}", "{ON_POOL}"]}}
"""
GOOGLE = f"{SITE}/?utm_source=google"


def _config(geoip: str | None = "city.mmdb") -> str:
    return CONFIG.replace("GEOIP", f"geoip_db: {geoip}" if geoip else "")


@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
async def test_pool_shows_the_visitors_state_then_the_country_then_the_fallback(
        tmp_path: Path, absolute: bool) -> None:
    db = write_mmdb(tmp_path / "city.mmdb")
    async with swap_server(tmp_path, _config(str(db) if absolute else db.name)) as server:
        chicago = [(await server.visit(ip=CHICAGO))["number"] for _ in range(3)]
        assert chicago == [IL_POOL, NY_POOL, FALLBACK]  # never the Toronto number
        assert (await server.visit(ip=TORONTO))["number"] == ON_POOL
        assert (await server.visit(ip=LONDON))["number"] == FALLBACK


async def test_a_visitor_from_a_state_with_no_number_gets_the_nearest_state_s(
        tmp_path: Path) -> None:
    far, middle, near, nearest = "+14155550120", "+12125550121", "+16145550122", "+13125550123"
    indiana = "198.19.0.7"
    write_mmdb(tmp_path / "city.mmdb", {**NETWORKS, "198.19.0.0/24": city("US", "IN")})
    ranked = CONFIG.replace("GEOIP", "geoip_db: city.mmdb").replace(
        f'"{IL_POOL}", "{NY_POOL}", "{ON_POOL}"', f'"{far}", "{middle}", "{near}", "{nearest}"')
    async with swap_server(tmp_path, ranked) as server:
        shown = [(await server.visit(ip=indiana))["number"] for _ in range(5)]
    assert shown == [nearest, near, middle, far, FALLBACK]  # IL, OH, NY, CA: not the file's


async def test_a_visitor_the_database_cannot_place_gets_any_free_number(tmp_path: Path) -> None:
    write_mmdb(tmp_path / "city.mmdb")
    async with swap_server(tmp_path, _config()) as server:
        assert (await server.visit(ip=NOWHERE))["number"] == NY_POOL  # the pool's usual order


async def test_a_returning_visitor_keeps_the_number_wherever_it_comes_from(
        tmp_path: Path) -> None:
    write_mmdb(tmp_path / "city.mmdb")
    async with swap_server(tmp_path, _config()) as server:
        first = await server.visit(ip=TORONTO)
        again = await server.visit(first["visitor_id"], ip=CHICAGO)
        assert first["number"] == again["number"] == ON_POOL
        assert first["session_id"] == again["session_id"]


async def test_a_geo_source_shows_its_nearest_static_number(tmp_path: Path) -> None:
    write_mmdb(tmp_path / "city.mmdb")
    async with swap_server(tmp_path, _config()) as server:
        assert (await server.visit(url=GOOGLE, ip=NEW_YORK))["number"] == NY_STATIC
        assert (await server.visit(url=GOOGLE, ip=CHICAGO))["number"] == IL_STATIC
        assert (await server.visit(url=GOOGLE, ip=LONDON))["number"] == IL_STATIC  # its first


async def test_without_a_proxy_the_peer_address_is_looked_up(tmp_path: Path) -> None:
    write_mmdb(tmp_path / "city.mmdb", {**NETWORKS, "127.0.0.0/8": city("CA", "ON")})
    async with swap_server(tmp_path, _config()) as server:
        body = {"campaign": "spring", "url": f"{SITE}/", "referrer": ""}
        async with server.http.post(f"{server.base}/swap/session", json=body,
                                    headers={"User-Agent": BROWSER, "Origin": SITE}) as answer:
            assert answer.status == 200
            assert (await answer.json())["number"] == ON_POOL


@pytest.mark.parametrize(("geoip", "said"), [
    (None, "geo: nearest is set but the config has no geoip_db: geo is off"),
    ("absent.mmdb", "absent.mmdb cannot be read"),
])
async def test_without_a_usable_database_geo_is_off_with_one_log_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, geoip: str | None, said: str) -> None:
    caplog.set_level(logging.INFO, logger="callserver.numbers.geo")
    async with swap_server(tmp_path, _config(geoip)) as server:
        shown = [(await server.visit(ip=TORONTO))["number"] for _ in range(3)]
        assert shown == [NY_POOL, IL_POOL, ON_POOL]  # the pool's usual order: geo is off
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("callserver.numbers.geo")]
    assert len(lines) == 1 and said in lines[0]


async def test_a_reload_opens_a_database_that_arrived_since(tmp_path: Path) -> None:
    async with swap_server(tmp_path, _config()) as server:
        assert (await server.visit(ip=TORONTO))["number"] == NY_POOL
        write_mmdb(tmp_path / "city.mmdb")
        assert server.app[LIVE].reload() == ()
        assert (await server.visit(ip=TORONTO))["number"] == ON_POOL


async def test_a_returning_visitor_who_moved_gets_a_number_near_them_now(
        tmp_path: Path) -> None:
    write_mmdb(tmp_path / "city.mmdb")
    async with swap_server(tmp_path, _config()) as server:
        first = await server.visit(ip=CHICAGO)
        server.clock.advance(seconds=1800)
        stayed = await server.visit(first["visitor_id"], ip=CHICAGO)
        server.clock.advance(seconds=1800)
        moved = await server.visit(first["visitor_id"], ip=NEW_YORK)
    assert first["number"] == stayed["number"] == IL_POOL
    assert moved["number"] == NY_POOL
