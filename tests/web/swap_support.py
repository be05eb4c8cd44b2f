"""The real app on a loopback port with a clock the test moves, and a browser-like client."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from callserver.app import Listen, build_app
from callserver.attribution.proxies import TrustedProxies
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.settings import Secrets
from callserver.store.db import Store
from callserver.web.keys import STORE

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
SITE = "https://www.example.com"
ADMIN = "admin-token"
BROWSER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/124.0 Safari/537.36")
POOL = [f"+1312555{n:04d}" for n in range(110, 130)]
FALLBACK = "+18005550199"
CONFIG = """
timezone: America/New_York
targets: {sales: {dial: "PJSIP/sales@pbx"}}
sources:
  google-ads: {type: onsite, position: 1, match: {param: {utm_source: "^google$"}}, touch: last}
  craigslist: {type: onsite, position: 2, match: {referrer: "craigslist\\\\.org"}, touch: last}
  web-search: {type: onsite, position: 5, match: {search: true}}
  direct: {type: onsite, position: 9, match: {direct: true}}
  tv: {type: offsite}
campaigns:
  spring:
    swap_target: "(800) 555-0100"
    sites: ["https://www.example.com"]
    capture_cookies: [_biz_uid, _ga]
    routing: {targets: [{target: sales}]}
    numbers:
      "+18005550101": {source: google-ads}
      "+18005550102": {source: tv}
    pools:
      website: {sources: [craigslist, web-search, direct], session_timeout: 1800,
                fallback: "+18005550199", numbers: [NUMBERS]}
"""


def config_text(pool: list[str] = POOL, extra: str = "") -> str:
    return CONFIG.replace("NUMBERS", ", ".join(f'"{n}"' for n in pool)) + extra


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class SwapServer:
    app: web.Application
    base: str
    http: aiohttp.ClientSession
    clock: Clock
    config: Path
    ips: list[str] = field(default_factory=list)

    @property
    def store(self) -> Store:
        store = self.app[STORE]
        assert isinstance(store, Store), "this harness opens a SQLite store"
        return store

    async def post(self, body: Any, *, ua: str = BROWSER, origin: str | None = SITE,
                   ip: str = "203.0.113.7", raw: bytes | None = None,
                   headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any], Any]:
        sent = {"User-Agent": ua, "X-Forwarded-For": ip, "Content-Type": "text/plain",
                **({"Origin": origin} if origin else {}), **(headers or {})}
        data = raw if raw is not None else json.dumps(body).encode()
        async with self.http.post(f"{self.base}/swap/session", data=data,
                                  headers=sent) as response:
            return response.status, await response.json(), response.headers

    async def visit(self, visitor_id: str | None = None, **fields: Any) -> dict[str, Any]:
        """A page view that must succeed; `ip` and `ua` go to `post`."""
        options = {k: fields.pop(k) for k in ("ip", "ua") if k in fields}
        body = {"campaign": "spring", "url": f"{SITE}/", "referrer": "", **fields}
        if visitor_id is not None:
            body["visitor_id"] = visitor_id
        status, answer, _ = await self.post(body, **options)
        assert status == 200, answer
        return answer


@contextlib.asynccontextmanager
async def swap_server(tmp_path: Path, text: str | None = None, clock: Clock | None = None,
                      proxies: TrustedProxies | None = None) -> AsyncIterator[SwapServer]:
    config = tmp_path / "callserver.yaml"
    config.write_text(text if text is not None else config_text())
    loopback = HostPort("127.0.0.1", 0)
    clock = clock or Clock()
    app = build_app(LiveConfig(config, load_config(config)), Secrets(admin_token=ADMIN),
                    Listen(http=loopback, agi=loopback, ami=loopback,
                           db=str(tmp_path / "db.sqlite3"), proxies=proxies or TrustedProxies()),
                    clock=clock)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            yield SwapServer(app, f"http://127.0.0.1:{server.port}", http, clock, config)
    finally:
        await server.close()


@contextlib.contextmanager
def swap_server_thread(tmp_path: Path) -> Iterator[str]:
    """The same server on its own event loop in a thread, for synchronous tests (hypothesis);
    yields its base URL."""
    ready = threading.Event()
    running: dict[str, Any] = {}

    async def serve() -> None:
        async with swap_server(tmp_path) as server:
            running.update(base=server.base, loop=asyncio.get_running_loop(),
                           stop=asyncio.Event())
            ready.set()
            await running["stop"].wait()

    def run() -> None:
        try:
            asyncio.run(serve())
        finally:
            ready.set()

    thread = threading.Thread(target=run, name="swap-server")
    thread.start()
    ready.wait(timeout=20)
    try:
        yield running["base"]
    finally:
        if "loop" in running:
            running["loop"].call_soon_threadsafe(running["stop"].set)
        thread.join(timeout=20)


def post_sync(base: str, data: bytes) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{base}/swap/session", data=data, method="POST",
        headers={"User-Agent": BROWSER, "Origin": SITE, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
