from dataclasses import replace
from datetime import timedelta, timezone

import pytest

from callserver.store import Store
from callserver.store.sessions import (
    VisitorSession,
    get,
    latest_for_visitor,
    upsert,
)
from tests.store.conftest import NOW

LANDING = VisitorSession(
    session_id="sess-1",
    visitor_id="vis-1",
    campaign="spring",
    first_seen=NOW,
    last_seen=NOW,
    source="google-ads",
    number="+18005550110",
    pool="website",
    ip="203.0.113.7",
    user_agent="Mozilla/5.0",
    landing_url="https://www.example.com/?utm_source=google&gclid=abc",
    referrer="https://www.google.com/",
    utm_source="google",
    utm_medium="cpc",
    utm_campaign="spring-sale",
    utm_term="plumber",
    utm_content="ad-1",
    gclid="abc",
    cookies={"_ga": "GA1.1.123", "_biz_uid": "u-1"},
)


async def test_a_new_session_is_stored_as_given(store: Store) -> None:
    assert await store.write(upsert, LANDING) == LANDING
    assert await store.read(get, "sess-1") == LANDING
    assert await store.read(get, "sess-2") is None


async def test_a_revisit_keeps_the_landing_and_takes_the_latest_of_the_rest(
    store: Store,
) -> None:
    await store.write(upsert, LANDING)
    later = NOW + timedelta(minutes=4)
    revisit = VisitorSession(
        session_id="sess-1",
        visitor_id="vis-1",
        campaign="spring",
        first_seen=later,
        last_seen=later,
        number="+18005550111",
        landing_url="https://www.example.com/pricing",
        referrer="https://www.example.com/",
        cookies={"_ga": "GA1.1.456", "_fbp": "fb.1"},
        page_views=3,
    )

    stored = await store.write(upsert, revisit)

    assert stored == replace(
        LANDING,
        last_seen=later,
        number="+18005550111",
        cookies={"_ga": "GA1.1.456", "_biz_uid": "u-1", "_fbp": "fb.1"},
        page_views=3,
    )
    stale = VisitorSession("sess-1", "vis-1", "spring", NOW, NOW, page_views=1)
    assert (await store.write(upsert, stale)).page_views == 3
    assert await store.read(get, "sess-1") == stored


async def test_the_latest_session_of_a_visitor_and_of_a_number(store: Store) -> None:
    await store.write(upsert, LANDING)
    hour = timedelta(hours=1)
    newer = VisitorSession(
        "sess-2", "vis-1", "spring", NOW + hour, NOW + hour, number="+18005550110"
    )
    await store.write(upsert, newer)
    other_campaign = VisitorSession("sess-3", "vis-1", "autumn", NOW + 2 * hour, NOW + 2 * hour)
    await store.write(upsert, other_campaign)

    assert await store.read(latest_for_visitor, "vis-1", "spring") == newer
    assert await store.read(latest_for_visitor, "vis-2", "spring") is None


async def test_non_utc_instants_come_back_as_the_same_instant_in_utc(store: Store) -> None:
    chicago = timezone(timedelta(hours=-6))
    local = NOW.astimezone(chicago)
    session = VisitorSession("sess-9", "vis-9", "spring", local, local)
    stored = await store.write(upsert, session)
    assert stored.first_seen == NOW
    assert stored.first_seen.utcoffset() == timedelta(0)


async def test_a_naive_instant_is_refused(store: Store) -> None:
    naive = NOW.replace(tzinfo=None)
    with pytest.raises(ValueError, match="naive"):
        await store.write(upsert, VisitorSession("s", "v", "spring", naive, naive))
