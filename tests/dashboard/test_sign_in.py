"""Signing in over plain HTTP, where a browser would hide what matters: cookie flags, status
codes, forged or cross-site requests, and where a redirect may lead."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from callserver.settings import Secrets
from callserver.web.auth import Principal
from callserver.web.dashboard.render import HEADERS
from callserver.web.dashboard.session import SESSION_COOKIE, Signer
from tests.dashboard.conftest import ACME, ADMIN, Client


async def test_a_page_without_a_session_sends_the_browser_to_sign_in_and_back(
        client: Client) -> None:
    status, _ = await client.get("/dashboard/calls?campaign=spring")
    assert status == 303
    async with client.http.get(f"{client.base}/dashboard/calls?campaign=spring",
                               allow_redirects=False) as response:
        where = urlsplit(response.headers["Location"])
        assert where.path == "/dashboard/login"
        assert parse_qs(where.query) == {"next": ["/dashboard/calls?campaign=spring"]}
    assert (await client.get("/dashboard/today/live"))[0] == 401


async def test_the_session_cookie_is_httponly_strict_and_signed(client: Client) -> None:
    response = await client.sign_in(ADMIN)
    assert response.status == 303
    assert response.headers["Location"] == "/dashboard/today"
    cookie = response.cookies[SESSION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == "/dashboard"
    assert ADMIN not in cookie.value
    status, html = await client.get("/dashboard/today")
    assert status == 200 and 'id="who">admin<' in html


async def test_a_wrong_token_or_a_cross_site_form_does_not_sign_in(client: Client) -> None:
    assert (await client.sign_in("guess")).status == 401
    form = {"form_token": await client.login_form(), "token": ADMIN}
    async with client.http.post(f"{client.base}/dashboard/login", data=form,
                                headers={"Origin": "https://evil.example"},
                                allow_redirects=False) as response:
        assert response.status == 403
        assert "posted from https://evil.example" in await response.text()
    async with client.http.post(f"{client.base}/dashboard/login",
                                data={"form_token": "made-up", "token": ADMIN},
                                headers={"Origin": client.base},
                                allow_redirects=False) as response:
        assert response.status == 403
        assert "The form expired" in await response.text()
    assert (await client.get("/dashboard/today"))[0] == 303


async def test_a_script_posting_without_origin_is_told_so_not_that_the_form_expired(
        client: Client) -> None:
    """curl signing in with the form's own token and cookie: the missing header is named."""
    form = {"form_token": await client.login_form(), "token": ADMIN}
    async with client.http.post(f"{client.base}/dashboard/login", data=form,
                                allow_redirects=False) as response:
        assert response.status == 403
        page = await response.text()
    assert "posted without an Origin header" in page and client.base in page
    assert "expired" not in page


async def test_sign_in_never_redirects_off_the_dashboard(client: Client) -> None:
    for elsewhere in ("//evil.example/", "https://evil.example/", "/api/calls",
                      "/dashboard\\@evil.example"):
        form = {"form_token": await client.login_form(), "token": ACME, "next": elsewhere}
        async with client.http.post(f"{client.base}/dashboard/login", data=form,
                                    headers={"Origin": client.base},
                                    allow_redirects=False) as response:
            assert response.headers["Location"] == "/dashboard/today", elsewhere


async def test_sign_out_needs_the_pages_form_token(client: Client) -> None:
    await client.sign_in(ADMIN)
    async with client.http.post(f"{client.base}/dashboard/logout", data={},
                                headers={"Origin": client.base}) as response:
        assert response.status == 403
    assert (await client.get("/dashboard/today"))[0] == 200
    _, html = await client.get("/dashboard/today")
    token = html.split('name="form_token" value="')[1].split('"')[0]
    async with client.http.post(f"{client.base}/dashboard/logout", data={"form_token": token},
                                headers={"Origin": client.base},
                                allow_redirects=False) as response:
        assert response.status == 303
    assert (await client.get("/dashboard/today"))[0] == 303


async def test_every_page_forbids_framing_and_foreign_script(client: Client) -> None:
    await client.sign_in(ADMIN)
    for path in ("/dashboard/login", "/dashboard/today", "/dashboard/calls",
                 "/dashboard/calls/a1", "/dashboard/sources", "/dashboard/pools",
                 "/dashboard/webhooks", "/dashboard/numbers", "/dashboard/snippet",
                 "/dashboard/calls/nope"):
        async with client.http.get(f"{client.base}{path}") as response:
            assert response.status in (200, 404), path
            assert {name: response.headers[name] for name in HEADERS} == HEADERS, path
            assert response.content_type == "text/html"


async def test_a_forged_expired_or_revoked_session_is_nobody() -> None:
    signer = Signer(b"k" * 32)
    known = Secrets(admin_token=ADMIN, publisher_tokens={ACME: "acme"})
    now = time.time()
    acme = signer.session(Principal("acme"), now)
    assert signer.principal(acme, known, now) == Principal("acme")
    body, _, mac = acme.partition(".")
    admin_body = signer.session(Principal(None), now).partition(".")[0]
    assert signer.principal(f"{admin_body}.{mac}", known, now) is None
    assert Signer(b"x" * 32).principal(acme, known, now) is None
    assert signer.principal(acme, known, now + 13 * 3600) is None
    assert signer.principal(acme, Secrets(admin_token=ADMIN), now) is None
    assert signer.principal("garbage", known, now) is None
    assert signer.principal(f"{body}.é", known, now) is None
    assert not signer.check_form(acme, "é") and signer.check_form(acme, signer.form_token(acme))
    assert signer.principal(f"{body}.{mac}", known, now) == Principal("acme")
