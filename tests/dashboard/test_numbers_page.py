"""The dashboard's Numbers page over plain HTTP, on the real app with the inventory gate: the
admin's whole inventory with released numbers' cooling-off, the API's filters, and a
publisher's own numbers alone."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.dashboard.conftest import Client
from tests.numbers.conftest import (
    ADMIN,
    CHICAGO,
    CONFIG,
    FALL,
    FALLBACK,
    POOL,
    PUBLISHER,
    SEARCH,
    Served,
    served,
)

TAGGED = CONFIG.replace(f'"{SEARCH}": {{source: google-ads, publisher: acme}}',
                        f'"{SEARCH}": {{source: google-ads, publisher: acme, sub_id: a1, '
                        f'tags: {{channel: search}}}}')


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Served]:
    async with served(tmp_path, TAGGED) as running:
        yield running


@pytest.fixture
async def client(server: Served) -> AsyncIterator[Client]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        yield Client(server.base, http)


def rows(html: str) -> dict[str, str]:
    """Number -> its row's markup."""
    return dict(re.findall(r'<tr data-number="([^"]+)">(.*?)</tr>', html, re.S))


def cell(row: str, column: str) -> str:
    found = re.search(rf'data-col="{column}">(.*?)</td>', row, re.S)
    assert found, column
    return found.group(1).strip()


async def test_the_admin_sees_every_number_with_its_settings_and_cooling_off(
        server: Served, client: Client) -> None:
    await server.post("/api/numbers/release", {"numbers": [CHICAGO]})
    await client.sign_in(ADMIN)
    status, html = await client.get("/dashboard/numbers")
    assert status == 200 and 'href="/dashboard/numbers" class="here"' in html
    shown = rows(html)
    assert sorted(shown) == sorted([SEARCH, CHICAGO, *POOL, FALLBACK, FALL])
    search = shown[SEARCH]
    assert [cell(search, c) for c in ("kind", "campaign", "source", "publisher", "sub_id",
                                      "tags", "state")] == [
        "toll-free", "spring", "google-ads", "acme", "a1", "channel=search, sub_id=a1", "active"]
    assert (cell(shown[POOL[0]], "pool"), cell(shown[POOL[0]], "region")) == (
        "website", "Chicago, IL")
    assert cell(shown[CHICAGO], "state") == "released"
    assert cell(shown[CHICAGO], "free_at") == "2026-05-31"  # 90 days after 2 March
    assert cell(shown[SEARCH], "free_at") == "—"


async def test_the_page_takes_the_api_s_filters_and_explains_a_bad_one(client: Client) -> None:
    await client.sign_in(ADMIN)
    _, html = await client.get("/dashboard/numbers?kind=toll-free&campaign=&region=")
    assert sorted(rows(html)) == sorted([SEARCH, FALLBACK, FALL])
    _, html = await client.get("/dashboard/numbers?kind=local&region=IL")
    assert sorted(rows(html)) == sorted([CHICAGO, *POOL])
    status, html = await client.get("/dashboard/numbers?region=Illinois")
    assert status == 400 and "region: expected a state or province code" in html
    assert rows(html) == {}


async def test_a_publisher_sees_only_its_own_numbers_in_service(client: Client) -> None:
    await client.sign_in(PUBLISHER)
    status, html = await client.get("/dashboard/numbers")
    assert status == 200
    assert list(rows(html)) == [SEARCH]
    assert "data-col=\"publisher\"" not in html and "Stray calls" not in html
    assert 'name="state"' not in html
    _, html = await client.get("/dashboard/numbers?kind=local")
    assert rows(html) == {}


def form_token(page: str) -> str:
    return page.split('name="form_token" value="')[1].split('"')[0]


async def post_release(client: Client, data: list[tuple[str, str]],
                       origin: str | None = None) -> tuple[int, str]:
    async with client.http.post(f"{client.base}/dashboard/numbers/release", data=data,
                                headers={"Origin": origin or client.base}) as answer:
        return answer.status, await answer.text()


async def states(server: Served) -> dict[str, str]:
    return {r["number"]: r["state"] for r in (await server.get("/api/numbers"))["numbers"]}


async def test_ticked_numbers_are_released_after_a_confirmation(
        server: Served, client: Client) -> None:
    await server.post("/api/numbers/release", {"numbers": [CHICAGO]})
    await client.sign_in(ADMIN)
    _, page = await client.get("/dashboard/numbers")
    shown = rows(page)
    assert 'name="number" value="' not in shown[CHICAGO]  # released already: no box
    assert f'name="number" value="{SEARCH}"' in shown[SEARCH]
    token = form_token(page)

    picked = [("form_token", token), ("number", SEARCH), ("number", POOL[0])]
    status, confirm = await post_release(client, picked)
    assert status == 200 and "Release these 2 numbers?" in confirm
    assert (await states(server))[SEARCH] == "active"  # nothing released before the confirm

    status, done = await post_release(client, [*picked, ("confirm", "yes")])
    assert status == 200 and "Released 2 numbers" in done
    assert sorted(rows(done)) == sorted([SEARCH, POOL[0]])
    assert cell(rows(done)[SEARCH], "free_at") == "2026-05-31"
    assert f"campaigns.spring.numbers.{SEARCH}" in done.split('id="delete-lines"')[1]
    now = await states(server)
    assert (now[SEARCH], now[POOL[0]], now[POOL[1]]) == ("released", "released", "active")


async def test_a_release_asks_for_numbers_names_an_unknown_one_and_is_the_admin_s(
        client: Client) -> None:
    await client.sign_in(ADMIN)
    token = form_token((await client.get("/dashboard/numbers"))[1])
    status, page = await post_release(client, [("form_token", token)])
    assert status == 400 and "Tick the numbers to release first." in page
    status, page = await post_release(client, [("form_token", token), ("number", "+14155550100"),
                                               ("number", SEARCH), ("confirm", "yes")])
    assert status == 404 and "+14155550100: not a number callserver has tracked" in page
    status, _ = await post_release(client, [("form_token", token), ("number", SEARCH)],
                                   origin="https://evil.example")
    assert status == 403
    await client.sign_in(PUBLISHER)
    _, mine = await client.get("/dashboard/numbers")
    assert 'name="number"' not in mine and "/dashboard/numbers/release" not in mine
    status, _ = await post_release(client, [("form_token", token), ("number", SEARCH)])
    assert status == 403
