"""What a publisher is shown beyond its rows (scoped already: tests/dashboard, tests/reports):
its dashboard forms offer its own campaigns and tag names, never those only other publishers'
numbers carry; and a call's decision trace, whose cap counts and round-robin turns count every
publisher's calls and whose dial strings are the buyers' lines, is the admin's alone."""

from __future__ import annotations

import re

import aiohttp

from callserver.web.keys import LIVE
from tests.dashboard.conftest import ACME, ADMIN, Client, Dash


async def _tag_metros_number(dash: Dash) -> None:
    config = dash.app[LIVE].path
    config.write_text(config.read_text().replace(
        '{source: tv, publisher: metro, sub_id: m1}',
        '{source: tv, publisher: metro, sub_id: m1, tags: {metro_deal: gold}}').replace(
        "tv: {type: offsite,", "tv: {type: offsite, tags: {tv_slot: prime},"))
    async with aiohttp.ClientSession() as http, http.post(
            f"{dash.base}/api/config/reload",
            headers={"Authorization": f"Bearer {ADMIN}"}) as response:
        assert response.status == 200, await response.text()


def _options(html: str, pattern: str) -> set[str]:
    return set(re.findall(pattern, html))


async def test_the_numbers_page_offers_a_publisher_its_own_campaigns(client: Client) -> None:
    await client.sign_in(ADMIN)
    _, html = await client.get("/dashboard/numbers")
    assert _options(html, r"<option(?: selected)?>(\w+)</option>") >= {"spring", "fall"}
    await client.sign_in(ACME)
    _, html = await client.get("/dashboard/numbers")
    assert _options(html, r"<option(?: selected)?>(\w+)</option>") & {"spring", "fall"} == {
        "spring"}


async def test_the_sources_page_offers_a_publisher_its_own_tag_names(dash: Dash,
                                                                     client: Client) -> None:
    await _tag_metros_number(dash)
    await client.sign_in(ADMIN)
    _, html = await client.get("/dashboard/sources")
    assert _options(html, r'<option value="(\w+)">') >= {"metro_deal", "tv_slot"}
    await client.sign_in(ACME)
    _, html = await client.get("/dashboard/sources")
    assert _options(html, r'<option value="(\w+)">') & {"metro_deal", "tv_slot"} == set()


async def test_a_publisher_sees_its_call_without_the_decision_trace(dash: Dash,
                                                                    client: Client) -> None:
    async with aiohttp.ClientSession() as http:
        for token, trace in ((ADMIN, {"seeded": "a1"}), (ACME, None)):
            async with http.get(f"{dash.base}/api/calls/a1",
                                headers={"Authorization": f"Bearer {token}"}) as response:
                assert (await response.json())["trace"] == trace
            async with http.get(f"{dash.base}/api/calls?format=csv",
                                headers={"Authorization": f"Bearer {token}"}) as response:
                assert "seeded" not in await response.text()
    await client.sign_in(ACME)
    status, html = await client.get("/dashboard/calls/a1")
    assert status == 200 and 'id="trace"' not in html and "seeded" not in html
    await client.sign_in(ADMIN)
    _, html = await client.get("/dashboard/calls/a1")
    assert 'id="trace"' in html and "seeded" in html
