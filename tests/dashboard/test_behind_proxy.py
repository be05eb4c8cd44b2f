"""The dashboard behind a TLS-terminating reverse proxy on the same host: the browser is on
https://dash.example, callserver sees plain HTTP from 127.0.0.1. Sign-in must still give a
`Secure` cookie and the dashboard's own forms must pass the same-origin check; the same
headers from any peer but a trusted proxy change nothing."""

from __future__ import annotations

import html as entities
import re
from http.cookies import SimpleCookie

import aiohttp
import pytest

from callserver.attribution.proxies import TrustedProxies, parse_trusted_proxies
from callserver.web.dashboard.session import LOGIN_COOKIE, SESSION_COOKIE
from callserver.web.forwarded import ClientView, client_view
from tests.dashboard.conftest import ADMIN, Dash

PUBLIC = "https://dash.example"
NGINX = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "dash.example",
         "X-Forwarded-For": "203.0.113.9"}
OWN = ClientView("http", "127.0.0.1:8080")
LOCAL = TrustedProxies()
# An ALB in its VPC subnet, in front of callserver on another host.
ALB = parse_trusted_proxies("10.0.0.0/16")


def _cookies(response: aiohttp.ClientResponse) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.getall("Set-Cookie", []):
        jar.load(header)
    return jar


def _form_token(html: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


async def test_sign_in_and_a_form_post_through_the_proxy(dash: Dash) -> None:
    # The browser would not send a Secure cookie back over http, so cookies go by hand.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        async with http.get(f"{dash.base}/dashboard/login", headers=NGINX) as response:
            login = _cookies(response)[LOGIN_COOKIE]
            form = {"form_token": _form_token(await response.text()), "token": ADMIN}
        assert login["secure"]
        posted = {**NGINX, "Origin": PUBLIC, "Cookie": f"{LOGIN_COOKIE}={login.value}"}
        async with http.post(f"{dash.base}/dashboard/login", data=form, headers=posted,
                             allow_redirects=False) as response:
            assert response.status == 303
            session = _cookies(response)[SESSION_COOKIE]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Strict"
        signed = {**NGINX, "Cookie": f"{SESSION_COOKIE}={session.value}"}
        async with http.get(f"{dash.base}/dashboard/snippet", headers=signed) as response:
            html = await response.text()
        assert f'src="{PUBLIC}/swap.js"' in entities.unescape(html)  # the snippet's default host
        async with http.post(f"{dash.base}/dashboard/logout", headers={**signed, "Origin": PUBLIC},
                             data={"form_token": _form_token(html)},
                             allow_redirects=False) as response:
            assert response.status == 303


async def test_a_client_claiming_https_to_callserver_itself_gains_nothing(dash: Dash) -> None:
    """Without the proxy's headers the origin is the socket's: https://dash.example is foreign."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        async with http.get(f"{dash.base}/dashboard/login") as response:
            login = _cookies(response)[LOGIN_COOKIE]
            form = {"form_token": _form_token(await response.text()), "token": ADMIN}
        assert not login["secure"]
        async with http.post(f"{dash.base}/dashboard/login", data=form, allow_redirects=False,
                             headers={"Origin": PUBLIC,
                                      "Cookie": f"{LOGIN_COOKIE}={login.value}"}) as response:
            assert response.status == 403


@pytest.mark.parametrize("peer", ["127.0.0.1", "127.8.0.2", "::1", "::ffff:127.0.0.1"])
def test_our_proxy_on_loopback_names_the_browsers_origin(peer: str) -> None:
    seen = client_view(peer, OWN, "https", "dash.example", LOCAL)
    assert (seen.origin, seen.secure) == (PUBLIC, True)


def test_a_load_balancer_in_the_trusted_proxies_names_it_too() -> None:
    seen = client_view("10.0.3.17", OWN, "https", "dash.example", ALB)
    assert (seen.origin, seen.secure) == (PUBLIC, True)
    assert client_view("10.0.3.17", OWN, "https", "dash.example", LOCAL) == OWN
    assert client_view("127.0.0.1", OWN, "https", "dash.example", ALB) == OWN


@pytest.mark.parametrize("peer", ["203.0.113.9", "10.0.0.2", "::ffff:10.0.0.2", "2001:db8::1",
                                  "", None, "127.0.0.1.evil", "localhost"])
def test_forwarded_headers_from_any_other_peer_are_ignored(peer: str | None) -> None:
    assert client_view(peer, OWN, "https", "dash.example", LOCAL) == OWN


def test_the_last_entry_counts_and_nonsense_keeps_the_sockets_view() -> None:
    assert client_view("127.0.0.1", OWN, "http, https", "evil.example, dash.example",
                       LOCAL) == ClientView("https", "dash.example")
    assert client_view("127.0.0.1", OWN, "gopher", "dash.example/evil", LOCAL) == OWN
    assert client_view("127.0.0.1", OWN, None, None, LOCAL) == OWN
    assert client_view("127.0.0.1", OWN, "HTTPS", "[2001:db8::1]:8443", LOCAL).origin == (
        "https://[2001:db8::1]:8443")


@pytest.mark.parametrize("host", ["Dash.Example", "dash.example:443", "DASH.example:443"])
def test_the_origin_is_compared_as_a_browser_writes_it(host: str) -> None:
    """Host names are case-blind and the default port is left out of an Origin."""
    assert client_view("127.0.0.1", OWN, "https", host, LOCAL).origin == PUBLIC
    assert ClientView("http", "Dash.Example:80").origin == "http://dash.example"
    assert ClientView("https", "dash.example:8443").origin == "https://dash.example:8443"
