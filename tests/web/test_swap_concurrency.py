"""A thousand visitors at once through the HTTP endpoint: no pool number is leased twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from callserver.store import pool_table
from tests.web.swap_support import FALLBACK, POOL, START, swap_server

VISITORS = 1000


async def test_a_thousand_concurrent_visitors_share_a_pool_of_twenty(tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        answers = await asyncio.gather(*(server.visit(ip=f"10.0.{i // 250}.{i % 250}")
                                         for i in range(VISITORS)))
        usage = await server.store.read(pool_table.usage, START)
        exhausted = await server.store.read(pool_table.exhaustions_since, "spring/website", START)

    shown = Counter(answer["number"] for answer in answers)
    assert {number: shown[number] for number in POOL} == dict.fromkeys(POOL, 1)
    assert shown[FALLBACK] == VISITORS - len(POOL)
    assert len({answer["session_id"] for answer in answers}) == VISITORS
    assert usage == {"spring/website": pool_table.PoolUsage(size=20, active=20)}
    assert exhausted == VISITORS - len(POOL)
    assert all(answer["lease_expires_at"] for answer in answers if answer["number"] != FALLBACK)
