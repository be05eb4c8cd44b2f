"""The real callserver app on a loopback port with a seeded SQLite store and a fixed clock
(15:00 in New York on 2 March 2026, so "today" never crosses midnight mid-test), and helpers
to sign in through the dashboard's own form, in Chromium or over plain HTTP."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from callserver.app import Listen, build_app
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.settings import Secrets
from callserver.store.call_values import CallStatus
from callserver.store.db import Store
from callserver.web.keys import STORE
from tests.browser.cdp import Tab
from tests.reports.conftest import Seed, seed

ADMIN = "admin-token"
ACME = "acme-token"
METRO = "metro-token"
SECRETS = Secrets(admin_token=ADMIN, publisher_tokens={ACME: "acme", METRO: "metro"})
NOW = datetime.fromisoformat("2026-03-02T20:00:00+00:00")

CONFIG = """
timezone: America/New_York
targets:
  sales: {dial: "PJSIP/sales@pbx"}
publishers:
  acme: {name: Acme Media}
  metro: {name: Metro Media}
sources:
  google-ads: {type: onsite, position: 1, match: {param: {utm_source: "^google$"}},
               cost: {per_call: 12.50}, name: Google Ads <paid>}
  tv: {type: offsite, cost: {monthly_budget: 900}}
  radio: {type: offsite}
campaigns:
  spring:
    name: Spring sale
    swap_target: "+18005550100"
    sites: ["https://www.example.com"]
    routing: {targets: [{target: sales}]}
    numbers:
      "+18005550101": {source: google-ads, publisher: acme, sub_id: a1}
      "+13125550110": {source: tv, publisher: metro, sub_id: m1}
    pools:
      web: {name: Website <DNI> pool, session_timeout: 1800, fallback: "+18005550199",
            numbers: ["+18005550110", "+18005550111"]}
  fall:
    routing: {targets: [{target: sales}]}
    numbers:
      "+18885550104": {source: radio}
"""


def acme(id: str, at: str, **end: Any) -> Seed:
    return Seed(id, at, "spring", "google-ads", "acme", "+18005550101", "a1", "search", **end)


def metro(id: str, at: str, **end: Any) -> Seed:
    return Seed(id, at, "spring", "tv", "metro", "+13125550110", "m1", "tv", **end)


def radio(id: str, at: str, **end: Any) -> Seed:
    return Seed(id, at, "fall", "radio", None, "+18885550104", None, "radio", **end)


# Seven calls today (2 March in New York), one yesterday that "today" must leave out.
SEEDS = (
    acme("a1", "2026-03-02T13:05:00+00:00", talk=120, converted=True),
    acme("a2", "2026-03-02T14:30:00+00:00", talk=30),
    acme("a3", "2026-03-02T16:10:00+00:00", status=CallStatus.NO_ANSWER),
    metro("m1", "2026-03-02T14:10:00+00:00", talk=200, converted=True),
    metro("m2", "2026-03-02T17:00:00+00:00", status=CallStatus.BUSY),
    radio("n1", "2026-03-02T15:00:00+00:00", talk=100),
    radio("n2", "2026-03-02T19:30:00+00:00", status=None),
    acme("old", "2026-03-01T15:00:00+00:00", talk=50),
)


@dataclass(frozen=True)
class Dash:
    base: str
    app: web.Application

    @property
    def store(self) -> Store:
        store = self.app[STORE]
        assert isinstance(store, Store), "this harness opens a SQLite store"
        return store


@pytest.fixture
async def dash(tmp_path: Path) -> AsyncIterator[Dash]:
    config = tmp_path / "callserver.yaml"
    config.write_text(CONFIG)
    loopback = HostPort("127.0.0.1", 0)
    app = build_app(LiveConfig(config, load_config(config)), SECRETS,
                    Listen(http=loopback, agi=loopback, ami=loopback,
                           db=str(tmp_path / "db.sqlite3")), clock=lambda: NOW)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        ready = Dash(f"http://127.0.0.1:{runner.addresses[0][1]}", app)
        await seed(ready.store, *SEEDS)
        yield ready
    finally:
        await runner.cleanup()


async def sign_in(tab: Tab, base: str, token: str, then: str = "/dashboard/today") -> None:
    """Through the login form, as a person would: the page it lands on is `then`."""
    await tab.goto(f"{base}/dashboard/login?next={then}")
    loaded = tab.expect("Page.loadEventFired")
    await tab.eval(f"document.getElementById('token').value = {token!r}; "
                   "document.getElementById('sign-in').click()")
    await loaded


async def navigate(tab: Tab, script: str) -> None:
    """Run script that makes the page navigate (a click, a form submit) and wait for the load."""
    loaded = tab.expect("Page.loadEventFired")
    await tab.eval(script)
    await loaded


@dataclass
class Client:
    """A cookie-keeping HTTP client that signs in through the form, for checks a browser
    would hide (status codes, headers, forged requests)."""

    base: str
    http: aiohttp.ClientSession

    async def login_form(self) -> str:
        async with self.http.get(f"{self.base}/dashboard/login") as response:
            found = re.search(r'name="form_token" value="([^"]+)"', await response.text())
        assert found
        return found.group(1)

    async def sign_in(self, token: str) -> aiohttp.ClientResponse:
        form = {"form_token": await self.login_form(), "token": token, "next": "/dashboard/today"}
        async with self.http.post(f"{self.base}/dashboard/login", data=form,
                                  headers={"Origin": self.base},
                                  allow_redirects=False) as response:
            return response

    async def get(self, path: str) -> tuple[int, str]:
        async with self.http.get(f"{self.base}{path}", allow_redirects=False) as response:
            return response.status, await response.text()


@pytest.fixture
async def client(dash: Dash) -> AsyncIterator[Client]:
    # Cookies for an IP address host are refused by default; the browser keeps them.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        yield Client(dash.base, http)
