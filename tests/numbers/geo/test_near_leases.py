"""A geo lease takes the nearest tier's free number, least recently freed within the tier."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callserver.store import Store, open_store
from callserver.store.leases import release
from callserver.store.near_leases import take_nearest
from callserver.store.pool_table import exhaustions_since, sync_pool_numbers

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
TTL = timedelta(minutes=30)
IL_A, IL_B, NY, LONDON = "+13125550110", "+13125550111", "+12125550112", "+442079460113"
TIERS = {IL_A: 0, IL_B: 0, NY: 1}


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(tmp_path / "db.sqlite3")
    await opened.write(sync_pool_numbers, "spring/site", [IL_A, IL_B, NY, LONDON])
    yield opened
    await opened.close()


async def _take(store: Store, session: str, minute: float = 0) -> str | None:
    lease = await store.write(take_nearest, "spring/site", session,
                              NOW + timedelta(minutes=minute), TTL, TIERS)
    return None if lease is None else lease.number


async def test_nearest_tier_first_then_the_next_and_never_a_number_abroad(store: Store) -> None:
    assert [await _take(store, f"s{i}") for i in range(4)] == [IL_A, IL_B, NY, None]
    assert await store.read(exhaustions_since, "spring/site", NOW) == 1


async def test_within_a_tier_the_number_freed_longest_ago_goes_first(store: Store) -> None:
    assert await _take(store, "s1") == IL_A
    assert await _take(store, "s2") == IL_B
    await store.write(release, IL_B, NOW + timedelta(minutes=1))
    await store.write(release, IL_A, NOW + timedelta(minutes=2))
    assert await _take(store, "s3", 3) == IL_B
    assert await _take(store, "s4", 3) == IL_A


async def test_numbers_of_another_pool_are_never_taken(store: Store) -> None:
    await store.write(sync_pool_numbers, "autumn/site", ["+13125550199"])
    lease = await store.write(take_nearest, "autumn/site", "s1", NOW, TTL, TIERS)
    assert lease is None
