"""A call finds its web session: the lease live at the call or ended within grace, the
30-minute merge rule of seed 003, and a lease returned early once the call ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callserver.attribution.calls import Touch, attribute
from callserver.store import lease_reads, leases, pool_table, session_leases, sessions
from callserver.store.db import Store, open_store
from callserver.store.sessions import VisitorSession
from tests.attribution.support import config

CONFIG = config()
NUMBER = "+13125550111"
POOL = "spring/rest"
CLICK = datetime(2026, 3, 2, 12, 17, tzinfo=UTC)  # seed 003: a Google Ad clicked at 12:17 ...
TTL = timedelta(minutes=30)
GRACE = timedelta(minutes=5)


def _touch(first_seen: datetime = CLICK, expires: datetime = CLICK + TTL) -> Touch:
    return Touch("s1", "organic", first_seen, first_seen, expires)


def test_a_static_number_attributes_to_its_source_without_a_session() -> None:
    view = CONFIG.lookup("+18005550101")
    assert view is not None
    got = attribute(view, [], CLICK, GRACE)
    assert (got.campaign, got.source, got.session_id, got.merged) == (
        "spring", "google-ads", None, False)


def test_the_fallback_number_attributes_to_no_session() -> None:
    view = CONFIG.lookup("+13125550199")
    assert view is not None and view.role == "fallback"
    assert attribute(view, [_touch()], CLICK, GRACE).session_id is None


@pytest.mark.parametrize(("minutes", "session", "merged"), [
    (5, "s1", True),  # lease live, session young
    (33, "s1", False),  # lease ended 3 min ago: within grace, but began 33 min ago
    (36, None, False),  # lease ended 6 min ago: past grace
    (-1, None, False),  # before the lease
])
def test_a_pool_number_attributes_to_its_lease_holder(minutes: int, session: str | None,
                                                      merged: bool) -> None:
    view = CONFIG.lookup(NUMBER)
    assert view is not None
    got = attribute(view, [_touch()], CLICK + timedelta(minutes=minutes), GRACE)
    assert (got.session_id, got.merged) == (session, merged)
    assert got.source == ("organic" if session else None)


def test_seed_003_a_session_older_than_30_minutes_is_a_separate_touch() -> None:
    view = CONFIG.lookup(NUMBER)
    assert view is not None
    renewed = _touch(expires=CLICK + timedelta(hours=2))  # the page stayed open, renewing
    call = CLICK.replace(hour=13, minute=5)  # ... and the call came at 1:05 pm
    got = attribute(view, [renewed], call, GRACE)
    assert got.session_id == "s1" and not got.merged
    assert "48 min before the call" in got.reason and "unmerged" in got.reason


def test_the_live_lease_wins_over_one_that_ended_within_grace() -> None:
    view = CONFIG.lookup(NUMBER)
    assert view is not None
    ended = _touch(expires=CLICK + timedelta(minutes=10))
    taken = Touch("s2", "direct", CLICK + timedelta(minutes=11), CLICK + timedelta(minutes=11),
                  CLICK + timedelta(minutes=41))
    got = attribute(view, [ended, taken], CLICK + timedelta(minutes=12), GRACE)
    assert (got.session_id, got.source, got.merged) == ("s2", "direct", True)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(tmp_path / "db.sqlite3")
    await opened.write(pool_table.sync_pool_numbers, POOL, [NUMBER])
    yield opened
    await opened.close()


async def _lease(store: Store, session_id: str, at: datetime) -> None:
    await store.write(sessions.upsert, VisitorSession(
        session_id=session_id, visitor_id=f"v-{session_id}", campaign="spring", first_seen=at,
        last_seen=at, source="organic", number=NUMBER, pool=POOL,
        cookies={"_biz_uid": f"biz-{session_id}"}))
    assert await store.write(leases.acquire, POOL, session_id, at, TTL) is not None


async def test_the_store_finds_the_session_a_call_belongs_to(store: Store) -> None:
    await _lease(store, "s1", CLICK)
    during = await store.read(session_leases.session_for_call, NUMBER, CLICK + timedelta(minutes=9),
                              GRACE)
    after = await store.read(session_leases.session_for_call, NUMBER, CLICK + TTL + GRACE, GRACE)
    touches = await store.read(session_leases.touches_for_number, NUMBER)
    assert during is not None and during.cookies == {"_biz_uid": "biz-s1"}
    assert after is None
    assert touches == [Touch("s1", "organic", CLICK, CLICK, CLICK + TTL)]


async def test_a_lease_returns_early_once_its_call_ends_but_never_someone_elses(
        store: Store) -> None:
    await _lease(store, "s1", CLICK)
    assert await store.write(leases.release, NUMBER, CLICK + timedelta(minutes=3), "s1")
    await _lease(store, "s2", CLICK + timedelta(minutes=4))
    late = CLICK + timedelta(minutes=5)
    assert not await store.write(leases.release, NUMBER, late, "s1")  # s1's call ended late
    assert (await store.read(lease_reads.get, NUMBER)).session_id == "s2"  # type: ignore[union-attr]
    assert (await store.read(session_leases.session_for_call, NUMBER, late, GRACE)
            ).session_id == "s2"  # type: ignore[union-attr]
