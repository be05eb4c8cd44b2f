"""Every route the app serves is classified as public, open to publishers, or the admin's; a
route added without a class fails here. No token is 401 (a dashboard page: sent to sign in),
a publisher's token on an admin route is 403, on the API and on the dashboard alike."""

from __future__ import annotations

import aiohttp
import pytest

from tests.dashboard.conftest import ACME, ADMIN, Client, Dash

PUBLIC = {("GET", "/healthz"), ("GET", "/swap.js"), ("POST", "/swap/session"),
          ("OPTIONS", "/swap/session"), ("GET", "/api/openapi.json"), ("GET", "/dashboard"),
          ("GET", "/dashboard/login"), ("POST", "/dashboard/login"),
          ("GET", "/dashboard/static/dashboard.js")}
PUBLISHERS = {("GET", "/api/calls"), ("GET", "/api/calls/{id}"), ("GET", "/api/reports"),
              ("GET", "/api/numbers"), ("GET", "/dashboard/today"),
              ("GET", "/dashboard/today/live"), ("GET", "/dashboard/calls"),
              ("GET", "/dashboard/calls/{id}"), ("GET", "/dashboard/sources"),
              ("GET", "/dashboard/numbers"), ("POST", "/dashboard/logout")}
ADMINS = {("GET", "/api/pools"), ("GET", "/api/monitor"), ("GET", "/metrics"),
          ("POST", "/api/config/reload"), ("POST", "/api/numbers/release"),
          ("POST", "/api/snippet-test"), ("GET", "/api/webhooks/deliveries"),
          ("POST", "/api/webhooks/deliveries/{id}/retry"), ("GET", "/dashboard/pools"),
          ("GET", "/dashboard/webhooks"), ("POST", "/dashboard/webhooks/{id}/retry"),
          ("GET", "/dashboard/snippet"), ("POST", "/dashboard/snippet"),
          ("POST", "/dashboard/numbers/release")}


def routes(dash: Dash) -> set[tuple[str, str]]:
    return {(route.method, route.resource.canonical) for route in dash.app.router.routes()
            if route.method != "HEAD" and route.resource is not None}


def concrete(path: str) -> str:
    return path.replace("{id}", "a1")


async def test_every_route_is_classified(dash: Dash) -> None:
    assert routes(dash) == PUBLIC | PUBLISHERS | ADMINS


@pytest.mark.parametrize(("method", "path"), sorted(PUBLISHERS | ADMINS))
async def test_no_token_is_refused(dash: Dash, method: str, path: str) -> None:
    async with aiohttp.ClientSession() as http, http.request(
            method, dash.base + concrete(path), allow_redirects=False) as response:
        if path.startswith("/dashboard") and not path.endswith("/live"):
            # a page sends the browser to sign in; a form post without a session is refused
            assert response.status in (303, 403), path
            if response.status == 303:
                assert response.headers["Location"].startswith("/dashboard/login?next=")
        else:
            assert response.status == 401, path


@pytest.mark.parametrize(("method", "path"),
                         sorted(p for p in ADMINS if not p[1].startswith("/dashboard")))
async def test_a_publishers_token_is_forbidden_on_admin_api(dash: Dash, method: str,
                                                            path: str) -> None:
    async with aiohttp.ClientSession() as http:
        for token, refused in ((ACME, 403), ("not-a-token", 401)):
            async with http.request(method, dash.base + concrete(path), allow_redirects=False,
                                    headers={"Authorization": f"Bearer {token}"}) as response:
                assert response.status == refused, (path, token)


@pytest.mark.parametrize(("method", "path"),
                         sorted(p for p in ADMINS if p[1].startswith("/dashboard")))
async def test_a_publisher_is_forbidden_admin_pages(client: Client, method: str,
                                                    path: str) -> None:
    await client.sign_in(ACME)
    async with client.http.request(method, client.base + concrete(path), allow_redirects=False,
                                   headers={"Origin": client.base}) as response:
        assert response.status == 403, path
    await client.sign_in(ADMIN)
