"""Calls read with their visitor sessions (one LEFT JOIN) and reports grouped by the visit,
on SQLite and on PostgreSQL alike (`either`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from callserver.reports import listing, summary
from callserver.reports.filters import CallFilter
from callserver.reports.groups import Group
from callserver.store import calls, sessions
from callserver.store.open import AnyStore
from tests.reports.conftest import acme
from tests.reports.visits import ACME_BING, ACME_SEARCH, METRO_SOCIAL, seed_visits

TZ = "America/New_York"


async def test_a_page_of_calls_carries_each_ones_session(either: AnyStore) -> None:
    await seed_visits(either)
    page = await either.read(listing.page, CallFilter(), None, 3)
    assert [(c.call.id, c.visit) for c in page.visits] == [
        ("vgone", None), ("vm1", METRO_SOCIAL), ("va2", ACME_BING)]
    rest = await either.read(listing.page, CallFilter(), page.next, 3)
    assert ([(c.call.id, c.visit) for c in rest.visits], rest.next) == (
        [("va1", ACME_SEARCH)], None)
    assert [c.id for c in rest.calls] == ["va1"]


async def test_one_call_with_its_session_in_its_publishers_scope(either: AnyStore) -> None:
    await seed_visits(either)
    found = await either.read(listing.find, "va1", "acme")
    assert found is not None and found.visit == ACME_SEARCH
    assert found.call.session_id == ACME_SEARCH.session_id
    assert await either.read(listing.find, "va1", "metro") is None
    mine = await either.read(listing.page, CallFilter(scope="acme"), None, 10)
    assert [c.visit for c in mine.visits] == [ACME_BING, ACME_SEARCH]


@pytest.mark.parametrize(("group", "keys"), [
    ("utm_campaign", {"spring-sale": 2, "metro-secret": 1, None: 1}),
    ("utm_term", {"plumber near me": 1, "emergency plumber": 1, "metro-term": 1, None: 1}),
    ("utm_source", {"google": 1, "bing": 1, "facebook": 1, None: 1}),
    ("utm_medium", {"cpc": 2, "paid_social": 1, None: 1}),
    # A query (even one holding a second '?') and a fragment are cut off.
    ("landing_page", {"https://www.example.com/plumbing": 2, "https://www.example.com/tv": 1,
                      None: 1}),
])
async def test_a_report_by_the_visit(either: AnyStore, group: str,
                                     keys: dict[str | None, int]) -> None:
    await seed_visits(either)
    found = await either.read(summary.report, CallFilter(), Group(group), TZ, None)
    assert {key: totals.calls for key, totals in found.rows} == keys


async def test_a_landing_page_without_a_query_is_the_whole_url(either: AnyStore) -> None:
    plain = replace(ACME_SEARCH, session_id="s-plain", landing_url="https://www.example.com/")
    await either.write(sessions.upsert, plain)
    call = acme("plain", "2026-03-02T14:00:00+00:00").call()
    await either.write(calls.start, replace(call, session_id=plain.session_id))
    found = await either.read(summary.report, CallFilter(), Group("landing_page"), TZ, None)
    assert [(key, totals.calls) for key, totals in found.rows] == [
        ("https://www.example.com/", 1)]
