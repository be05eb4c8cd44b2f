"""`POST /swap/session` over a real socket: sources, touches, leases, sessions, CORS, abuse."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from callserver.store import sessions
from callserver.web.keys import LIVE
from tests.web.swap_support import FALLBACK, POOL, SITE, START, config_text, swap_server

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


async def test_a_first_visit_leases_a_pool_number_and_stores_the_session(tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        status, answer, headers = await server.post({
            "campaign": "spring", "url": f"{SITE}/pricing?utm_medium=cpc&gclid=abc",
            "referrer": "", "cookies": {"_ga": "GA1.2.3", "_biz_uid": "b1", "other": "x"},
            "page_views": 1})
        assert status == 200
        assert headers["Access-Control-Allow-Origin"] == SITE
        assert answer["number"] == POOL[0] and answer["source"] == "direct"
        assert answer["lease_expires_at"] == "2026-03-02T15:30:00.000000Z"
        assert answer["renew_after_s"] == 900
        assert answer["swap_target"] == "+18005550100"
        assert answer["capture_cookies"] == ["_biz_uid", "_ga"]
        stored = await server.store.read(sessions.get, answer["session_id"])
    assert stored is not None
    assert (stored.visitor_id, stored.campaign, stored.number) == (
        answer["visitor_id"], "spring", POOL[0])
    assert stored.pool == "spring/website" and stored.ip == "203.0.113.7"
    assert stored.user_agent is not None and stored.user_agent.startswith("Mozilla/5.0")
    assert (stored.utm_medium, stored.gclid, stored.referrer) == ("cpc", "abc", None)
    assert stored.cookies == {"_ga": "GA1.2.3", "_biz_uid": "b1"}
    assert stored.first_seen == stored.last_seen == START


async def test_a_returning_visitor_keeps_the_number_and_the_lease_renews(tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        first = await server.visit()
        await server.visit()  # someone else takes the next number
        server.clock.advance(seconds=1500)
        again = await server.visit(first["visitor_id"], url=f"{SITE}/about",
                                   referrer=f"{SITE}/", page_views=2)
        server.clock.advance(seconds=1500)  # past the first lease, within the renewed one
        later = await server.visit(first["visitor_id"], page_views=3)
        stored = await server.store.read(sessions.get, first["session_id"])
    assert again["session_id"] == later["session_id"] == first["session_id"]
    assert again["number"] == later["number"] == first["number"]
    assert again["lease_expires_at"] == "2026-03-02T15:55:00.000000Z"
    assert stored is not None and stored.page_views == 3 and stored.landing_url == f"{SITE}/"


async def test_an_expired_lease_frees_the_number_and_starts_a_new_session(tmp_path: Path) -> None:
    async with swap_server(tmp_path, config_text(POOL[:1])) as server:
        first = await server.visit()
        assert (await server.visit(ip="198.51.100.1"))["number"] == FALLBACK
        server.clock.advance(seconds=1800)
        other = await server.visit(ip="198.51.100.1")
        back = await server.visit(first["visitor_id"])
    assert other["number"] == POOL[0]
    assert back["session_id"] != first["session_id"] and back["number"] == FALLBACK
    assert back["visitor_id"] == first["visitor_id"]


async def test_a_static_source_shows_its_own_number_without_a_lease(tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        answer = await server.visit(url=f"{SITE}/?utm_source=google&utm_campaign=spring")
        stored = await server.store.read(sessions.get, answer["session_id"])
    assert answer["number"] == "+18005550101" and answer["source"] == "google-ads"
    assert answer["lease_expires_at"] is None and answer["renew_after_s"] is None
    assert stored is not None and stored.pool is None and stored.utm_campaign == "spring"


async def test_first_touch_keeps_the_source_and_last_touch_takes_it(tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        searched = await server.visit(referrer="https://www.google.co.uk/search?q=plumber")
        visitor = searched["visitor_id"]
        inside = await server.visit(visitor, referrer=f"{SITE}/", url=f"{SITE}/?utm_source=google")
        server.clock.advance(hours=2)
        typed = await server.visit(visitor)
        server.clock.advance(hours=2)
        listed = await server.visit(visitor, referrer="https://chicago.craigslist.org/x")
        server.clock.advance(hours=2)
        ad = await server.visit(visitor, url=f"{SITE}/?utm_source=google")
    assert searched["source"] == "web-search"
    assert inside["source"] == "web-search"  # moving within the site is not a new visit
    assert typed["source"] == "web-search"  # direct is first touch: the original source stays
    assert listed["source"] == "craigslist"  # last touch takes the credit over
    assert ad["source"] == "google-ads" and ad["number"] == "+18005550101"


async def test_last_touch_mid_session_stores_the_touch_that_took_the_credit(
        tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        searched = await server.visit(referrer="https://www.bing.com/search?q=plumber",
                                      url=f"{SITE}/?utm_medium=organic")
        server.clock.advance(minutes=5)
        ad = f"{SITE}/offer?utm_source=google&utm_campaign=spring&gclid=g-7"
        clicked = await server.visit(searched["visitor_id"], url=ad,
                                     referrer="https://www.google.com/")
        server.clock.advance(minutes=1)
        inside = await server.visit(searched["visitor_id"], url=f"{SITE}/pricing",
                                    referrer=f"{SITE}/offer")
        stored = await server.store.read(sessions.get, searched["session_id"])
    assert clicked["session_id"] == inside["session_id"] == searched["session_id"]
    assert stored is not None and stored.source == "google-ads"
    assert (stored.landing_url, stored.referrer) == (ad, "https://www.google.com/")
    assert (stored.utm_source, stored.utm_campaign, stored.gclid) == ("google", "spring", "g-7")
    assert stored.utm_medium is None  # the organic visit's tag went with its credit
    assert stored.first_seen == START and stored.page_views >= 1


async def test_a_first_touch_credit_keeps_the_click_that_earned_it(tmp_path: Path) -> None:
    first_touch = config_text().replace('match: {param: {utm_source: "^google$"}}, touch: last',
                                        'match: {param: {utm_source: "^google$"}}')
    async with swap_server(tmp_path, first_touch) as server:
        ad = await server.visit(url=f"{SITE}/offer?utm_source=google&gclid=g-1",
                                referrer="https://www.google.com/")
        server.clock.advance(days=3)
        back = await server.visit(ad["visitor_id"], url=f"{SITE}/pricing?utm_medium=bookmark")
        stored = await server.store.read(sessions.get, back["session_id"])
    assert back["session_id"] != ad["session_id"] and back["source"] == "google-ads"
    assert stored is not None
    assert (stored.utm_source, stored.gclid, stored.utm_medium) == ("google", "g-1", None)
    assert (stored.landing_url, stored.referrer) == (f"{SITE}/pricing?utm_medium=bookmark", None)
    assert stored.first_seen == START + timedelta(days=3)


async def test_a_visit_no_source_matches_shows_the_page_its_own_number(tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        answer = await server.visit(referrer="https://news.example.org/story")
    assert answer["source"] is None and answer["number"] == "+18005550100"
    assert answer["session_id"] is not None


async def test_a_new_visitor_referred_by_the_site_itself_is_matched_as_direct(
        tmp_path: Path) -> None:
    """A visitor whose stored id is gone, moving between the site's pages, is no referral."""
    extra = "  anywhere: {type: onsite, position: 3, match: {referrer: \".\"}}\n"
    text = config_text().replace("sources:\n", "sources:\n" + extra)
    async with swap_server(tmp_path, text) as server:
        inside = await server.visit(referrer=f"{SITE}/pricing")
        outside = await server.visit(referrer="https://news.example.org/story")
        stored = await server.store.read(sessions.get, inside["session_id"])
    assert inside["source"] == "direct" and outside["source"] == "anywhere"
    assert stored is not None and stored.referrer == f"{SITE}/pricing"


async def test_crawlers_get_the_fallback_and_nothing_is_stored(tmp_path: Path) -> None:
    async with swap_server(tmp_path) as server:
        bot = await server.visit(ua=GOOGLEBOT)
        headless = await server.visit(ua="Mozilla/5.0 HeadlessChrome/124.0")
        ad = await server.visit(ua=GOOGLEBOT, url=f"{SITE}/?utm_source=google")
        person = await server.visit()
    assert bot["number"] == headless["number"] == FALLBACK
    assert bot["session_id"] is None and bot["lease_expires_at"] is None
    assert ad["number"] == "+18005550101"
    assert person["number"] == POOL[0]  # the crawlers took no lease


async def test_one_ip_cannot_drain_the_pool(tmp_path: Path) -> None:
    limits = "attribution: {leases_per_ip: 2}\n"
    async with swap_server(tmp_path, config_text(extra=limits)) as server:
        taken = [(await server.visit())["number"] for _ in range(3)]
        elsewhere = await server.visit(ip="198.51.100.9")
    assert taken == [POOL[0], POOL[1], FALLBACK]
    assert elsewhere["number"] == POOL[2]


async def test_ips_are_stored_truncated_or_hashed_by_configuration(tmp_path: Path) -> None:
    stored: dict[str, list[str | None]] = {}
    for mode in ("truncate", "hash"):
        here = tmp_path / mode
        here.mkdir()
        async with swap_server(here, config_text(extra=f"privacy: {{ip: {mode}}}\n")) as server:
            ids = [(await server.visit(ip=ip))["session_id"] for ip in
                   ("203.0.113.7", "203.0.113.7", "2001:db8:1:2::5")]
            stored[mode] = []
            for i in ids:
                session = await server.store.read(sessions.get, i)
                assert session is not None
                stored[mode].append(session.ip)
    assert stored["truncate"] == ["203.0.113.0/24", "203.0.113.0/24", "2001:db8:1::/48"]
    first, same, v6 = stored["hash"]
    assert first is not None and first == same != v6 and len(first) == 32 and "203" not in first


async def test_cors_is_limited_to_the_campaigns_sites(tmp_path: Path) -> None:
    body = {"campaign": "spring", "url": f"{SITE}/", "referrer": ""}
    async with swap_server(tmp_path) as server:
        refused, error, _ = await server.post(body, origin="https://evil.example")
        no_origin, _, plain = await server.post(body, origin=None)
        preflight = await server.http.options(f"{server.base}/swap/session", headers={
            "Origin": SITE, "Access-Control-Request-Method": "POST"})
        foreign = await server.http.options(f"{server.base}/swap/session", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert refused == 403 and "evil.example" in error["error"]
    assert no_origin == 200 and "Access-Control-Allow-Origin" not in plain
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == SITE
    assert preflight.headers["Access-Control-Allow-Methods"] == "POST"
    assert foreign.status == 403


async def test_a_reload_syncs_the_pools_before_the_next_request(tmp_path: Path) -> None:
    fresh = ["+13125550190", "+13125550191"]
    async with swap_server(tmp_path) as server:
        before = await server.visit()
        server.config.write_text(config_text(fresh))
        assert server.app[LIVE].reload() == ()
        after = await server.visit(ip="198.51.100.3")
    assert before["number"] == POOL[0] and after["number"] == fresh[0]
