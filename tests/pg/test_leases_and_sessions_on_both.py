"""The lease and session repositories' functions that tests/store leaves out, on SQLite and on
PostgreSQL alike (`either`); a statement that is SQLite's own is marked with why it fails."""

import functools
import sqlite3
from datetime import timedelta

from callserver.attribution.calls import Touch
from callserver.store import lease_reads, leases, near_leases, pool_table, session_leases, sessions
from callserver.store.lease_again import lease_again
from callserver.store.leases import Lease
from callserver.store.open import AnyStore
from callserver.store.pool_table import PoolUsage
from callserver.store.sessions import VisitorSession
from tests.store.conftest import NOW

TTL = timedelta(minutes=30)
POOL = [f"+1800555{n:04d}" for n in range(110, 114)]


def _add_pool(conn: sqlite3.Connection, pool: str, numbers: list[str]) -> None:
    conn.executemany("INSERT INTO pool_numbers (number, pool) VALUES (?, ?)",
                     [(number, pool) for number in numbers])


def _add_session(conn: sqlite3.Connection, session_id: str, ip: str, number: str) -> None:
    conn.execute(
        "INSERT INTO visitor_sessions (session_id, visitor_id, campaign, ip, number, pool, "
        "first_seen, last_seen) VALUES (?, ?, 'spring', ?, ?, 'website', ?, ?)",
        (session_id, f"visitor-{session_id}", ip, number, "2026-03-02T15:00:00.000000Z",
         "2026-03-02T15:04:05.000000Z"))


async def test_leases_live_renewed_and_exhausted(either: AnyStore) -> None:
    await either.write(_add_pool, "website", POOL[:2])
    first = await either.write(leases.take, "website", "s1", NOW, TTL)
    assert first == Lease(POOL[0], "website", "s1", NOW, NOW + TTL)
    assert await either.write(leases.renew, "website", "s1", NOW + TTL / 2, TTL) == Lease(
        POOL[0], "website", "s1", NOW, NOW + TTL * 3 / 2)
    assert await either.write(leases.renew, "website", "s2", NOW, TTL) is None
    await either.write(leases.take, "website", "s2", NOW, TTL)
    assert await either.write(leases.take, "website", "s3", NOW, TTL) is None
    assert [lease.number for lease in await either.read(lease_reads.live, "website", NOW)] == [
        POOL[1], POOL[0]]
    assert await either.read(pool_table.exhaustions_by_pool) == {"website": 1}
    assert await either.read(pool_table.usage, NOW) == {"website": PoolUsage(2, 2)}


async def test_a_never_leased_number_goes_before_a_freed_one(either: AnyStore) -> None:
    await either.write(_add_pool, "website", POOL[:2])
    await either.write(leases.take, "website", "s1", NOW, TTL)
    await either.write(leases.release, POOL[0], NOW + timedelta(minutes=1))
    taken = await either.write(leases.take, "website", "s2", NOW + timedelta(minutes=2), TTL)
    assert taken is not None and taken.number == POOL[1]


async def test_a_number_is_leased_again_only_while_free(either: AnyStore) -> None:
    await either.write(_add_pool, "website", POOL[:2])
    await either.write(leases.take, "website", "s1", NOW, TTL)
    later = NOW + TTL
    assert await either.write(lease_again, "website", POOL[0], "s2", later, TTL, "ip") == Lease(
        POOL[0], "website", "s2", later, later + TTL)
    assert await either.write(lease_again, "website", POOL[0], "s3", later, TTL) is None
    assert await either.write(lease_again, "print", POOL[1], "s3", later, TTL) is None
    assert await either.read(leases.held_by_ip, "ip", later) == 1
    assert await either.read(pool_table.exhaustions_by_pool) == {}


async def test_pools_are_synced_and_released_numbers_withdrawn(either: AnyStore) -> None:
    await either.write(pool_table.sync_pools, {"website": POOL[:3], "print": POOL[3:]})
    await either.write(leases.take, "website", "s1", NOW, TTL)
    assert await either.write(pool_table.withdraw, POOL[:2], NOW) == [POOL[0]]
    await either.write(pool_table.sync_pools, {"print": POOL[3:]})
    assert await either.read(pool_table.usage, NOW) == {"print": PoolUsage(1, 0)}


async def test_the_nearest_tier_is_leased_first(either: AnyStore) -> None:
    await either.write(_add_pool, "website", POOL)
    tiers = {POOL[0]: 2, POOL[1]: 0, POOL[2]: 1}
    taken = [await either.write(near_leases.take_nearest, "website", f"s{i}", NOW, TTL, tiers)
             for i in range(4)]
    assert [t and t.number for t in taken] == [POOL[1], POOL[2], POOL[0], None]


async def test_leases_held_by_an_address_and_a_visitor(either: AnyStore) -> None:
    await either.write(_add_pool, "website", POOL[:2])
    for session_id, number in (("s1", POOL[0]), ("s2", POOL[1])):
        await either.write(_add_session, session_id, "203.0.113.0", number)
        await either.write(leases.take, "website", session_id, NOW, TTL, "203.0.113.0")
    assert await either.read(leases.held_by_ip, "203.0.113.0", NOW) == 2
    held = await either.read(session_leases.leases_held_by_visitor, "visitor-s1", "spring", NOW)
    assert held == 1
    assert await either.read(leases.held_by_ip, "203.0.113.0", NOW + TTL) == 0
    assert await either.read(session_leases.pool_demand, "website", NOW - TTL) == [
        (NOW - timedelta(minutes=4, seconds=5), NOW)] * 2
    touches = await either.read(session_leases.touches_for_number, POOL[0])
    assert touches == [Touch("s1", None, NOW - timedelta(minutes=4, seconds=5), NOW, NOW + TTL)]
    found = await either.read(session_leases.session_for_call, POOL[0], NOW + TTL,
                              timedelta(minutes=5))
    assert found is not None and found.session_id == "s1"


async def test_a_lease_counts_for_the_address_it_was_last_renewed_for(either: AnyStore) -> None:
    await either.write(_add_pool, "website", POOL[:1])
    await either.write(leases.take, "website", "s1", NOW, TTL, "203.0.113.0")
    later = NOW + TTL / 2
    await either.write(leases.renew, "website", "s1", later, TTL, "198.51.100.0")
    assert await either.read(leases.held_by_ip, "203.0.113.0", later) == 0
    assert await either.read(leases.held_by_ip, "198.51.100.0", later) == 1
    await either.write(leases.renew, "website", "s1", later, TTL)  # no address: kept
    assert await either.read(leases.held_by_ip, "198.51.100.0", later) == 1


async def test_a_recorded_revisit_merges_its_cookies(either: AnyStore) -> None:
    first = VisitorSession("s1", "v1", "spring", NOW, NOW, cookies={"_ga": "1", "_fbp": "2"})
    await either.write(sessions.record, first)
    later = VisitorSession("s1", "v1", "spring", NOW, NOW + TTL, cookies={"_ga": "3"})
    await either.write(sessions.record, later)
    stored = await either.read(sessions.get, "s1")
    assert stored is not None
    assert (stored.last_seen, dict(stored.cookies)) == (NOW + TTL, {"_ga": "3", "_fbp": "2"})


async def test_a_retouched_revisit_takes_its_own_visit_data(either: AnyStore) -> None:
    first = VisitorSession("s1", "v1", "spring", NOW, NOW, source="organic",
                           landing_url="https://a.example/", utm_medium="organic")
    await either.write(sessions.record, first)
    ad = VisitorSession("s1", "v1", "spring", NOW, NOW + TTL, source="google-ads",
                        landing_url="https://a.example/ad", gclid="g-1",
                        captured={"tags.keyword": "pipes"})
    await either.write(sessions.record, ad)
    kept = await either.read(sessions.get, "s1")
    await either.write(functools.partial(sessions.record, retouched=True), ad)
    moved = await either.read(sessions.get, "s1")
    assert kept is not None and moved is not None
    assert (kept.landing_url, kept.gclid, kept.utm_medium, kept.captured) == (
        "https://a.example/", None, "organic", {})
    assert (moved.landing_url, moved.gclid, moved.utm_medium, moved.source) == (
        "https://a.example/ad", "g-1", None, "google-ads")
    assert moved.captured == {"tags.keyword": "pipes"}
    assert moved.first_seen == NOW
