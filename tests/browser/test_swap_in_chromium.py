"""swap.js in real headless Chromium, against the real callserver app: what a visitor's page
shows, what the server learns, and what a returning visitor sees before the network answers."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from callserver.store import sessions
from tests.browser.cdp import Tab
from tests.browser.chromium import TEST_DOMAIN, browser
from tests.browser.conftest import Stack, needs_chromium, start_stack

pytestmark = needs_chromium

SWAPPED = "document.getElementById('parens').textContent.includes('312')"
STORED = "JSON.parse(localStorage['callserver.spring'] || '{}')"
ASKED = ("performance.getEntriesByType('resource')"
         ".filter(e => e.name.endsWith('/swap/session')).length")


async def read(tab: Tab, prop: str, *ids: str) -> dict[str, str]:
    """`prop` of each element named by id: what the visitor sees or would dial."""
    found: dict[str, str] = await tab.eval(
        f"Object.fromEntries({list(ids)!r}.map(i => [i, document.getElementById(i).{prop}]))")
    return found


async def test_every_spelling_is_swapped_in_the_pages_own_spelling(
        stack: Stack, tmp_path: Path) -> None:
    async with browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await tab.goto(stack.page("spellings"))
        await tab.wait_for(SWAPPED)
        assert await read(tab, "textContent", "parens", "dashes", "dots", "one", "plus", "bare",
                          "twice", "other", "longer", "tel-dashes") == {
            "parens": "Call (312) 555-0142 today",
            "dashes": "312-555-0142",
            "dots": "312.555.0142",
            "one": "1-312-555-0142",
            "plus": "+1 312 555 0142",
            "bare": "3125550142",
            "twice": "Sales: 312-555-0142, service: (312) 555-0142.",
            "other": "Fax: (800) 555-0199",
            "longer": "Order 180055501001",
            "tel-dashes": "312-555-0142",
        }
        assert await read(tab, "href", "tel-e164", "tel-dashes", "tel-other") == {
            "tel-e164": "tel:+13125550142",
            "tel-dashes": "tel:312-555-0142",
            "tel-other": "tel:+18005550199",
        }
        assert await tab.eval("document.getElementById('typed').value") == "800-555-0100"


async def test_numbers_added_after_load_are_swapped(stack: Stack, tmp_path: Path) -> None:
    async with browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await tab.goto(stack.page("spellings"))
        await tab.wait_for(SWAPPED)
        await tab.eval("""
            const p = document.createElement('p');
            p.id = 'late';
            p.innerHTML = 'Now hiring: <a id="late-tel" href="tel:1-800-555-0100">call</a>'
                + ' <b id="late-b">800.555.0100</b>';
            document.body.append(p);
            document.getElementById('other').firstChild.data = 'Fax: (800) 555 0100';
            document.getElementById('tel-other').setAttribute('href', 'tel:8005550100');
        """)
        await tab.wait_for("document.getElementById('late-b').textContent.includes('312')")
        assert await read(tab, "textContent", "late-b", "other") == {
            "late-b": "312.555.0142", "other": "Fax: (312) 555 0142"}
        await tab.wait_for("document.getElementById('tel-other').href.includes('312')")
        assert await read(tab, "href", "late-tel", "tel-other") == {
            "late-tel": "tel:1-312-555-0142", "tel-other": "tel:3125550142"}


async def test_the_session_carries_landing_referrer_and_the_named_cookies(
        stack: Stack, tmp_path: Path) -> None:
    landing = stack.page("cookies") + "?utm_source=google&gclid=abc123"
    async with browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await tab.send("Page.navigate", {"url": landing, "referrer": "https://www.bing.com/",
                                        "referrerPolicy": "unsafeUrl"})
        # data-cookies named _biz_uid; the answer names _ga too, so the script asks again.
        await tab.wait_for(f"{ASKED} == 2")
        session_id = await tab.eval(f"{STORED}.s")
    session = await stack.store.read(sessions.get, session_id)
    assert session is not None
    assert session.cookies == {"_ga": "GA1.2.111.222", "_biz_uid": "biz-42"}
    assert (session.landing_url, session.referrer) == (landing, "https://www.bing.com/")
    assert (session.utm_source, session.gclid, session.page_views) == ("google", "abc123", 1)
    assert session.number == "+13125550142"


async def test_two_campaigns_on_one_page_each_swap_their_own_number_and_keep_their_session(
        stack: Stack, tmp_path: Path) -> None:
    both = ("JSON.parse(localStorage['callserver.spring'] || '{}').n"
            " && JSON.parse(localStorage['callserver.service'] || '{}').n")
    profile = tmp_path / "profile"
    states = []
    for _ in range(2):
        async with browser(profile) as cdp:
            tab = await cdp.tab()
            await tab.goto(stack.page("two"))
            await tab.wait_for(both)
            await tab.wait_for(f"{ASKED} == 2")
            await tab.wait_for("document.getElementById('service').textContent.includes('312')"
                               " && document.getElementById('sales').textContent.includes('312')")
            assert await read(tab, "textContent", "sales", "service") == {
                "sales": "Sales: (312) 555-0142", "service": "Service: 312-555-0177"}
            assert await read(tab, "href", "service-tel") == {"service-tel": "tel:+13125550177"}
            states.append(await tab.eval("[localStorage['callserver.spring'],"
                                         " localStorage['callserver.service']]"))
    first = [json.loads(s)["s"] for s in states[0]]
    again = [json.loads(s)["s"] for s in states[1]]
    assert first == again  # the second page view continues each campaign's session


async def test_sites_under_one_cookie_domain_share_the_visitor(tmp_path: Path) -> None:
    hosts = (f"www.{TEST_DOMAIN}", f"shop.{TEST_DOMAIN}")
    async with start_stack(tmp_path, hosts=hosts) as stack, \
            browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await tab.goto(stack.page("spellings"))
        first = await tab.wait_for(f"{STORED}.n && {STORED}")
        other = stack.page("spellings").replace(hosts[0], hosts[1])
        await tab.goto(other)
        again = await tab.wait_for(f"{STORED}.n && {STORED}")  # the other origin's storage
        cookie = await tab.eval("document.cookie")
    assert again["v"] == first["v"] and f"cs_spring={first['v']}" in cookie
    assert (again["s"], again["n"]) == (first["s"], "+13125550142")  # one session, one number


async def test_a_returning_visitor_sees_the_cached_number_before_the_network_answers(
        stack: Stack, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    async with browser(profile) as cdp:
        tab = await cdp.tab()
        await tab.goto(stack.page("spellings"))
        await tab.wait_for(f"{STORED}.n == '+13125550142'")
        first = await tab.eval(STORED)
    async with browser(profile) as cdp:
        tab = await cdp.tab()
        await tab.send("Fetch.enable", {"patterns": [{"urlPattern": "*/swap/session"}]})
        held = tab.expect("Fetch.requestPaused")
        await tab.goto(stack.page("spellings"))
        request = await asyncio.wait_for(held, 10)
        assert await read(tab, "textContent", "parens", "plus") == {
            "parens": "Call (312) 555-0142 today", "plus": "+1 312 555 0142"}
        await tab.send("Fetch.continueRequest", {"requestId": request["requestId"]})
        await tab.send("Fetch.disable")
        await tab.wait_for(f"{ASKED} == 1")
        again = await tab.eval(STORED)
    assert (again["s"], again["n"], again["p"]) == (first["s"], first["n"], 2)
    session = await stack.store.read(sessions.get, again["s"])
    assert session is not None
    assert session.page_views == 2


async def test_a_cached_number_is_swapped_as_the_parser_adds_it(
        stack: Stack, tmp_path: Path) -> None:
    async with browser(tmp_path / "profile") as cdp:
        first = await cdp.tab()
        await first.goto(stack.page("spellings"))
        await first.wait_for(f"{STORED}.n")
        tab = await cdp.tab()
        await tab.send("Fetch.enable", {"patterns": [{"urlPattern": "*/swap/session"}]})
        held = tab.expect("Fetch.requestPaused")
        await tab.goto(stack.page("early"))
        await asyncio.wait_for(held, 10)
        assert await tab.eval("window.seenWhileParsing") == "(312) 555-0142"


async def test_the_lease_is_renewed_while_the_page_stays_open(tmp_path: Path) -> None:
    async with start_stack(tmp_path, session_timeout=2) as stack, \
            browser(tmp_path / "profile") as cdp:
        tab = await cdp.tab()
        await tab.goto(stack.page("spellings"))
        first = await tab.wait_for(f"{STORED}.x && {STORED}")
        renewed = await tab.wait_for(f"{STORED}.x > {first['x']} && {STORED}", within=20)
        assert (renewed["s"], renewed["n"]) == (first["s"], "+13125550142")
        assert await read(tab, "textContent", "dots") == {"dots": "312.555.0142"}


async def test_a_headless_agent_is_shown_the_fallback_without_a_lease(
        stack: Stack, tmp_path: Path) -> None:
    async with browser(tmp_path / "profile", user_agent=None) as cdp:
        tab = await cdp.tab()
        await tab.goto(stack.page("cookies"))
        await tab.wait_for(f"{STORED}.n")
        assert await read(tab, "textContent", "phone") == {"phone": "(800) 555-0199"}
        assert await tab.eval(f"{STORED}.x") == 0


async def test_a_visit_after_the_lease_ended_starts_a_new_session(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    async with start_stack(tmp_path, session_timeout=1) as stack:
        async with browser(profile) as cdp:
            tab = await cdp.tab()
            await tab.goto(stack.page("spellings"))
            first = await tab.wait_for(f"{STORED}.x && {STORED}")
        # The page may have renewed once more before it closed, and that write may still be
        # on its way to the store: wait until the store's last_seen stops moving for longer
        # than the page's renewal period (1 s here), so a late renewal cannot land after.
        seen = await stack.store.read(sessions.get, first["s"])
        while True:
            await asyncio.sleep(1.1)
            settled = await stack.store.read(sessions.get, first["s"])
            assert seen is not None and settled is not None
            if settled.last_seen == seen.last_seen:
                break
            seen = settled
        await asyncio.sleep(max(0.0, seen.last_seen.timestamp() + 1 - time.time()) + 0.2)
        async with browser(profile) as cdp:
            tab = await cdp.tab()
            await tab.goto(stack.page("spellings"))
            # Answered, not only asked: the page saves its state before the answer too, still
            # holding the old session; `l` is the instant of the last answer saved.
            again = await tab.wait_for(f"{ASKED} >= 1 && {STORED}.l > {first['l']} && {STORED}")
        session = await stack.store.read(sessions.get, again["s"])
    assert again["s"] != first["s"]
    assert (again["p"], again["n"]) == (1, "+13125550142")
    assert session is not None
    assert session.page_views == 1
