import asyncio
from datetime import timedelta
from pathlib import Path

from callserver.store import Store, open_store
from callserver.store.lease_reads import get
from callserver.store.leases import Lease, acquire, release
from callserver.store.pool_table import PoolUsage, exhaustions_since, sync_pool_numbers, usage
from tests.store.conftest import NOW

TTL = timedelta(minutes=30)
POOL = [f"+1800555{n:04d}" for n in range(110, 115)]


async def _pool(store: Store, numbers: list[str] = POOL) -> None:
    await store.write(sync_pool_numbers, "website", numbers)


async def _number(store: Store, session_id: str, at_minute: float = 0) -> str | None:
    lease = await store.write(
        acquire, "website", session_id, NOW + timedelta(minutes=at_minute), TTL
    )
    return None if lease is None else lease.number


async def test_sync_adds_new_numbers_and_drops_gone_ones_keeping_leases(store: Store) -> None:
    await _pool(store, POOL[:3])
    kept = await _number(store, "s1")
    assert kept is not None
    await _pool(store, [kept, POOL[3]])

    assert await store.read(usage, NOW) == {"website": PoolUsage(size=2, active=1)}
    assert await _number(store, "s1", 1) == kept
    assert await _number(store, "s2", 1) == POOL[3]


async def test_many_concurrent_visitors_never_share_a_number(store: Store) -> None:
    numbers = [f"+1312555{n:04d}" for n in range(50)]
    await _pool(store, numbers)

    leased = await asyncio.gather(*(_number(store, f"visitor {i}") for i in range(200)))

    assert sorted(n for n in leased if n is not None) == numbers
    assert await store.read(exhaustions_since, "website", NOW) == 150


async def test_two_nodes_on_one_file_never_share_a_number(store: Store, db_path: Path) -> None:
    numbers = [f"+1312555{n:04d}" for n in range(40)]
    await _pool(store, numbers)
    other = await open_store(db_path)
    try:
        leased = await asyncio.gather(
            *(
                _number(node, f"{node_name} {i}")
                for i in range(30)
                for node_name, node in [("a", store), ("b", other)]
            )
        )
    finally:
        await other.close()

    taken = [n for n in leased if n is not None]
    assert sorted(taken) == numbers


async def test_the_least_recently_freed_number_is_taken_first(store: Store) -> None:
    await _pool(store, POOL[:3])
    first, second = await _number(store, "s1"), await _number(store, "s2")
    assert (first, second) == (POOL[0], POOL[1])  # never-leased numbers first, in order
    assert first is not None and second is not None

    assert await store.write(release, second, NOW + timedelta(minutes=1))
    assert await store.write(release, first, NOW + timedelta(minutes=2))

    order = [await _number(store, f"late {i}", 3) for i in range(4)]
    assert order == [POOL[2], POOL[1], POOL[0], None]


async def test_a_lease_expires_by_time_and_the_number_returns_to_the_pool(store: Store) -> None:
    await _pool(store, POOL[:1])
    assert await _number(store, "s1") == POOL[0]
    assert await _number(store, "s2", 29) is None
    assert await _number(store, "s2", 30) == POOL[0]
    assert await _number(store, "s1", 31) is None  # s1's lapsed number went to someone else


async def test_the_same_session_keeps_its_number_and_extends_the_lease(store: Store) -> None:
    await _pool(store)
    first = await store.write(acquire, "website", "s1", NOW, TTL)
    renewed = await store.write(acquire, "website", "s1", NOW + timedelta(minutes=20), TTL)

    assert first is not None
    assert renewed == Lease(
        first.number, "website", "s1", leased_at=NOW, expires_at=NOW + timedelta(minutes=50)
    )
    assert await store.read(usage, NOW) == {"website": PoolUsage(size=5, active=1)}


async def test_a_lapsed_lease_nobody_took_comes_back_to_its_session(store: Store) -> None:
    await _pool(store)
    first = await _number(store, "s1")
    assert first is not None
    later = NOW + timedelta(hours=5)
    again = await store.write(acquire, "website", "s1", later, TTL)

    assert again == Lease(first, "website", "s1", leased_at=later, expires_at=later + TTL)


async def test_release_frees_a_live_lease_only(store: Store) -> None:
    await _pool(store, POOL[:1])
    number = await _number(store, "s1")
    assert number is not None

    assert await store.write(release, number, NOW + timedelta(minutes=5))
    assert not await store.write(release, number, NOW + timedelta(minutes=6))
    assert await store.read(usage, NOW + timedelta(minutes=5)) == {
        "website": PoolUsage(size=1, active=0)
    }
    held = await store.read(get, number)
    assert held == Lease(number, "website", "s1", NOW, NOW + timedelta(minutes=5))
    assert await store.read(get, "+19995550000") is None


async def test_leases_outlive_a_restart_and_still_expire(db_path: Path) -> None:
    store = await open_store(db_path)
    await _pool(store, POOL[:1])
    await _number(store, "s1")
    await store.close()  # the process goes away with the lease live

    restarted = await open_store(db_path)
    assert await _number(restarted, "s2", 10) is None
    assert await _number(restarted, "s2", 30) == POOL[0]
    await restarted.close()
