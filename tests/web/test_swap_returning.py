"""A visitor back after their session timed out sees their last pool number again while no
one else holds it (seeds 000 and 004), instead of the least-recently-freed one."""

from __future__ import annotations

from pathlib import Path

from callserver.store import lease_reads
from callserver.web.keys import LIVE
from tests.web.swap_support import POOL, config_text, swap_server


async def test_a_returning_visitor_gets_their_last_number_again(tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        first = await server.visit()
        await server.visit(ip="198.51.100.1")  # takes POOL[1]
        server.clock.advance(seconds=1800)  # both leases over: POOL[2] is the least recent
        back = await server.visit(first["visitor_id"])
        newcomer = await server.visit(ip="198.51.100.2")
        lease = await server.store.read(lease_reads.get, POOL[0])
    assert first["number"] == back["number"] == POOL[0]
    assert back["session_id"] != first["session_id"]
    assert lease is not None and lease.session_id == back["session_id"]
    assert lease.leased_at == server.clock()
    assert newcomer["number"] == POOL[2]


async def test_a_returning_visitor_whose_number_was_given_away_gets_another(
        tmp_path: Path) -> None:
    async with swap_server(tmp_path, config_text(POOL[:2])) as server:
        first = await server.visit()
        await server.visit(ip="198.51.100.1")
        server.clock.advance(seconds=1800)
        taker = await server.visit(ip="198.51.100.2")  # the least recent: the first's number
        back = await server.visit(first["visitor_id"])
    assert first["number"] == taker["number"] == POOL[0]
    assert back["number"] == POOL[1]


async def test_a_number_left_the_pool_is_not_leased_again(tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        first = await server.visit()
        server.clock.advance(seconds=1800)
        server.config.write_text(config_text(POOL[1:]))
        assert server.app[LIVE].reload() == ()
        back = await server.visit(first["visitor_id"])
    assert first["number"] == POOL[0]
    assert back["number"] == POOL[1]
