"""Every API answer, refusals and CSV included, is `nosniff` and `no-store`, and names no
software versions; the scripts keep their own caching and the dashboard its CSP."""

from __future__ import annotations

import aiohttp
import pytest

from tests.dashboard.conftest import ACME, ADMIN, Dash

API = ["/api/calls", "/api/calls/a1", "/api/calls/nope", "/api/calls?limit=x",
       "/api/reports", "/api/reports?format=csv", "/api/calls?format=csv", "/api/numbers",
       "/api/pools", "/api/webhooks/deliveries", "/api/monitor", "/metrics", "/healthz",
       "/api/openapi.json", "/no-such-route"]


@pytest.mark.parametrize("path", API)
@pytest.mark.parametrize("token", [ADMIN, ACME, None])
async def test_api_answers_are_not_sniffed_or_stored(dash: Dash, path: str,
                                                     token: str | None) -> None:
    sent = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http, http.get(dash.base + path,
                                                         headers=sent) as response:
        assert response.headers.get("X-Content-Type-Options") == "nosniff", response.status
        assert response.headers.get("Cache-Control") == "no-store", response.status
        assert response.headers.get("Server") == "callserver", response.status


async def test_scripts_keep_their_caching_and_the_dashboard_its_policy(dash: Dash) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{dash.base}/swap.js") as response:
            assert response.headers["Cache-Control"].startswith("public")
            assert response.headers["Server"] == "callserver"  # no Python or aiohttp version
        async with http.get(f"{dash.base}/dashboard/login") as response:
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            assert response.headers["Cache-Control"] == "no-store"
