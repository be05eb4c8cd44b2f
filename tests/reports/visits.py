"""Visitor sessions and the calls attributed to them, for the tests of call records' visit
fields and of the visit report groups: two of acme's calls and one of metro's came from web
visits, and one call names a session the store no longer holds."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from callserver.store import calls, sessions
from callserver.store.open import AnyStore
from callserver.store.sessions import VisitorSession
from tests.reports.conftest import Seed, acme, metro

FIRST = datetime.fromisoformat("2026-03-02T13:50:00+00:00")

ACME_SEARCH = VisitorSession(
    session_id="s-acme-search", visitor_id="v-1", campaign="spring", first_seen=FIRST,
    last_seen=FIRST + timedelta(seconds=245.5), source="google-ads", number="+18005550110",
    pool="web", ip="203.0.113.0", user_agent="Mozilla/5.0 (acme visitor)",
    landing_url="https://www.example.com/plumbing?utm_source=google&gclid=g-acme",
    referrer="https://www.google.com/", utm_source="google", utm_medium="cpc",
    utm_campaign="spring-sale", utm_term="plumber near me", utm_content="ad-1",
    gclid="g-acme", cookies={"_ga": "GA1.2.111"}, page_views=4)
ACME_BING = VisitorSession(
    session_id="s-acme-bing", visitor_id="v-2", campaign="spring", first_seen=FIRST,
    last_seen=FIRST, ip="203.0.113.1", user_agent="Mozilla/5.0 (second acme visitor)",
    landing_url="https://www.example.com/plumbing#call", utm_source="bing",
    utm_medium="cpc", utm_campaign="spring-sale", utm_term="emergency plumber",
    msclkid="ms-acme")
METRO_SOCIAL = VisitorSession(
    session_id="s-metro", visitor_id="v-3", campaign="spring", first_seen=FIRST,
    last_seen=FIRST + timedelta(minutes=2), ip="198.51.100.0",
    user_agent="Mozilla/5.0 (metro visitor)", landing_url="https://www.example.com/tv?x=1?y",
    referrer="https://www.facebook.com/", utm_source="facebook", utm_medium="paid_social",
    utm_campaign="metro-secret", utm_term="metro-term", fbclid="fb-metro",
    cookies={"_biz_uid": "metro-uid"}, page_views=2)
SESSIONS = (ACME_SEARCH, ACME_BING, METRO_SOCIAL)

# Call id -> (the call, the session id it carries).
VISITED: dict[str, tuple[Seed, str]] = {
    "va1": (acme("va1", "2026-03-02T14:00:05+00:00", talk=90), ACME_SEARCH.session_id),
    "va2": (acme("va2", "2026-03-02T14:05:00+00:00", talk=40), ACME_BING.session_id),
    "vm1": (metro("vm1", "2026-03-02T14:06:00+00:00", talk=20), METRO_SOCIAL.session_id),
    "vgone": (metro("vgone", "2026-03-02T14:07:00+00:00"), "s-expired"),
}


async def seed_visits(store: AnyStore) -> None:
    """The sessions, then the calls attributed to them, as the call edge writes them."""
    for session in SESSIONS:
        await store.write(sessions.upsert, session)
    for each, session_id in VISITED.values():
        await store.write(calls.start, replace(each.call(), session_id=session_id),
                          durable=True)
        end = each.end()
        assert end is not None
        assert await store.write(calls.complete, each.id, end, durable=True)
