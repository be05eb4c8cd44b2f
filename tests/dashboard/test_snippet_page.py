"""The dashboard's Snippet page (seed 000's Integrations and Test Snippet) over plain HTTP: each
campaign's line to paste, and a real page on a loopback site tested through the form."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tests.dashboard.conftest import ACME, ADMIN, Client

PAGE = """<!doctype html><html><head>
<script src="https://calls.example.com/swap.js" async data-campaign="spring"></script>
</head><body><p>Call (800) 555-0100 today.</p><a href="tel:+18005550100">call</a></body></html>"""


@pytest.fixture
async def site() -> AsyncIterator[str]:
    async def page(_: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_get("/pricing", page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def test_each_campaign_s_line_names_this_server_or_says_why_it_has_none(
        client: Client) -> None:
    await client.sign_in(ADMIN)
    status, page = await client.get("/dashboard/snippet?host=https://calls.example.com")
    assert status == 200 and 'href="/dashboard/snippet" class="here"' in page
    spring = page.split('data-campaign="spring"')[1].split("</tr>")[0]
    assert html.unescape(spring.split('data-col="tag">')[1].split("</code>")[0]) == (
        '<script src="https://calls.example.com/swap.js" async data-campaign="spring">'
        "</script>")
    fall = page.split('data-campaign="fall"')[1].split("</tr>")[0]
    assert "No snippet: it has no swap_target" in fall
    _, here = await client.get("/dashboard/snippet")
    assert f'src="{client.base}/swap.js"' in html.unescape(here)  # the origin it was asked at


async def test_a_page_is_tested_through_the_form(client: Client, site: str) -> None:
    await client.sign_in(ADMIN)
    _, page = await client.get("/dashboard/snippet")
    token = page.split('name="form_token" value="')[1].split('"')[0]
    form = {"form_token": token, "url": f"{site}/pricing", "allow_private": "on"}
    async with client.http.post(f"{client.base}/dashboard/snippet", data=form,
                                headers={"Origin": client.base}) as answer:
        assert answer.status == 200
        tested = await answer.text()
    assert "swap.js is on the page." in tested
    spring = tested.split('id="found"')[1].split('data-campaign="spring"')[1].split("</tr>")[0]
    assert 'data-col="spellings">(800) 555-0100, +18005550100<' in spring
    assert 'data-col="in_text">1<' in spring and 'data-col="in_tel_links">1<' in spring

    refused = {**form, "allow_private": ""}
    async with client.http.post(f"{client.base}/dashboard/snippet", data=refused,
                                headers={"Origin": client.base}) as answer:
        assert answer.status == 400
        assert "127.0.0.1 is not a public address" in await answer.text()
    async with client.http.post(f"{client.base}/dashboard/snippet", data=form,
                                headers={"Origin": "https://evil.example"}) as answer:
        assert answer.status == 403  # only our own page may make the server fetch a URL


async def test_the_page_is_the_admin_s_alone(client: Client) -> None:
    await client.sign_in(ACME)
    assert (await client.get("/dashboard/snippet"))[0] == 403


async def test_a_visit_is_matched_to_its_source_with_each_earlier_source_s_reason(
        client: Client) -> None:
    await client.sign_in(ADMIN)
    status, page = await client.get(
        "/dashboard/snippet?visit=https://www.example.com/?utm_source=bing&referrer=")
    assert status == 200
    verdicts = page.split('id="verdicts"')[1].split("</table>")[0]
    assert "param utm_source: &#39;^google$&#39; (is &#39;bing&#39;)" in verdicts
    assert "Credited to: <strong>no onsite source</strong>" in page
    status, page = await client.get(
        "/dashboard/snippet?visit=https://www.example.com/?utm_source=Google&campaign=spring")
    assert 'data-col="verdict">matched</td>' in page
    assert "Credited to: <strong>google-ads</strong>" in page
    shown = page.split('id="shown"')[1].split("</ul>")[0]
    assert "spring: shows static number +18005550101" in shown and "fall" not in shown
    status, page = await client.get("/dashboard/snippet?visit=www.example.com")
    assert status == 400 and "not an http(s) URL: &#39;www.example.com&#39;" in page
