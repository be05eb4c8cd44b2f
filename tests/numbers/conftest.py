"""A config with static, pool and fallback numbers in two campaigns, edits of it, and the real
app served on loopback ports with the inventory gate and a clock the test moves."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from callserver.app import Listen, build_app
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.numbers.gate import InventoryGate
from callserver.settings import Secrets
from callserver.store.db import Store
from callserver.web.keys import AGI, LIVE, STORE
from tests.web.swap_support import BROWSER, Clock

ADMIN = "admin-token"
PUBLISHER = "acme-token"
SITE = "https://www.example.com"
SEARCH = "+18005550101"  # spring, static, google-ads
CHICAGO = "+13125550110"  # spring, static, offsite
POOL = ("+13125550120", "+13125550121")
FALLBACK = "+18005550199"
FALL = "+18885550104"  # fall, static

CONFIG = f"""\
timezone: America/New_York
numbers_cooling_off_days: 90
targets: {{sales: {{dial: "PJSIP/sales@pbx"}}}}
publishers: {{acme: {{name: Acme Media}}}}
sources:
  google-ads: {{type: onsite, position: 1, match: {{param: {{utm_source: "^google$"}}}}}}
  direct: {{type: onsite, position: 9, match: {{direct: true}}}}
  tv: {{type: offsite}}
campaigns:
  spring:
    swap_target: "+18005550100"
    sites: ["{SITE}"]
    routing: {{targets: [{{target: sales}}]}}
    numbers:
      "{SEARCH}": {{source: google-ads, publisher: acme}}
      "{CHICAGO}": {{source: tv}}
    pools:
      website: {{sources: [direct], fallback: "{FALLBACK}",
                numbers: ["{POOL[0]}", "{POOL[1]}"]}}
  fall:
    routing: {{targets: [{{target: sales}}]}}
    numbers:
      "{FALL}": {{source: tv}}
"""


def without(number: str, text: str = CONFIG) -> str:
    """The config with the line of static `number` deleted."""
    kept = [line for line in text.splitlines(keepends=True) if f'"{number}":' not in line]
    return "".join(kept)


def moved_to_fall(number: str, text: str = CONFIG) -> str:
    """The config with static `number` moved from spring to fall."""
    return without(number, text) + f'      "{number}": {{source: tv}}\n'


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@dataclass
class Served:
    app: web.Application
    base: str
    http: aiohttp.ClientSession
    clock: Clock
    config: Path
    db: Path
    gate: InventoryGate

    @property
    def live(self) -> LiveConfig:
        return self.app[LIVE]

    @property
    def store(self) -> Store:
        store = self.app[STORE]
        assert isinstance(store, Store), "this harness opens a SQLite store"
        return store

    @property
    def agi_port(self) -> int:
        return self.app[AGI].port

    async def post(self, path: str, body: Any, token: str | None = ADMIN
                   ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = body if isinstance(body, str) else json.dumps(body)
        async with self.http.post(f"{self.base}{path}", data=data, headers=headers) as answer:
            return answer.status, await answer.json()

    async def get(self, path: str, params: Any = ()) -> Any:
        headers = {"Authorization": f"Bearer {ADMIN}"}
        async with self.http.get(f"{self.base}{path}", params=params,
                                 headers=headers) as answer:
            assert answer.status == 200, await answer.text()
            return await answer.json()

    async def shown(self, url: str, ip: str) -> str | None:
        """The number a first-time visitor from `ip` is shown on `url`."""
        body = {"campaign": "spring", "url": url, "referrer": None}
        async with self.http.post(f"{self.base}/swap/session", json=body, headers={
                "Origin": SITE, "X-Forwarded-For": ip, "User-Agent": BROWSER}) as answer:
            assert answer.status == 200, await answer.text()
            number: str | None = (await answer.json())["number"]
            return number


@asynccontextmanager
async def served(tmp_path: Path, text: str = CONFIG, clock: Clock | None = None
                 ) -> AsyncIterator[Served]:
    config, db = tmp_path / "callserver.yaml", tmp_path / "callserver.sqlite3"
    config.write_text(text)
    clock = clock or Clock()
    gate = InventoryGate(db, clock)
    live = LiveConfig(config, load_config(config), admit=gate)
    loopback = HostPort("127.0.0.1", 0)
    app = build_app(live, Secrets(admin_token=ADMIN, publisher_tokens={PUBLISHER: "acme"}),
                    Listen(http=loopback, agi=loopback, ami=loopback, db=str(db)), clock=clock)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        async with aiohttp.ClientSession() as http:
            yield Served(app, f"http://127.0.0.1:{runner.addresses[0][1]}", http, clock,
                         config, db, gate)
    finally:
        await runner.cleanup()
