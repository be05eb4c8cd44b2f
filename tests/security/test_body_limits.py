"""No POST reads an unbounded body: past aiohttp's 1 MiB (16 KiB for the swap endpoint) the
answer is 413 before any handler sees it, signed in or not."""

from __future__ import annotations

import io

import aiohttp
import pytest

from tests.dashboard.conftest import ADMIN, Client, Dash

BIG = b"x" * (1024 * 1024 + 1)


@pytest.mark.parametrize("path", ["/api/numbers/release", "/api/snippet-test"])
async def test_admin_api_bodies_are_bounded(dash: Dash, path: str) -> None:
    async with aiohttp.ClientSession() as http, http.post(
            dash.base + path, data=io.BytesIO(BIG), headers={"Authorization": f"Bearer {ADMIN}",
                                                  "Content-Type": "application/json"}) as got:
        assert got.status == 413


async def test_the_swap_body_is_bounded(dash: Dash) -> None:
    async with aiohttp.ClientSession() as http, http.post(
            f"{dash.base}/swap/session", data=b"x" * (16 * 1024 + 1)) as got:
        assert got.status == 400 and "body over" in (await got.json())["error"]


@pytest.mark.parametrize("path", ["/dashboard/login", "/dashboard/logout", "/dashboard/snippet",
                                  "/dashboard/numbers/release", "/dashboard/webhooks/x/retry"])
async def test_dashboard_forms_are_bounded(client: Client, path: str) -> None:
    await client.sign_in(ADMIN)
    async with client.http.post(
            client.base + path, data=io.BytesIO(BIG), headers={
                "Origin": client.base, "Content-Type": "application/x-www-form-urlencoded"}) as got:
        assert got.status == 413
