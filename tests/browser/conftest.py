"""A customer's site and the real callserver app, each on its own loopback port, so the
snippet crosses origins as it does in the field."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from string import Template

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from callserver.app import Listen, build_app
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.settings import Secrets
from callserver.store.db import Store
from callserver.web.keys import STORE
from tests.browser.chromium import CHROMIUM, TEST_DOMAIN

PAGES = Path(__file__).parent / "pages"
needs_chromium = pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed")

CONFIG = Template("""
timezone: America/New_York
targets:
  sales: {dial: "PJSIP/sales@pbx"}
sources:
  website: {type: onsite, position: 1, match: {always: true}}
campaigns:
  spring:
    swap_target: "+18005550100"
    sites: [$sites]
    capture_cookies: [_ga, _biz_uid]
$cookie_domain
    routing: {targets: [{target: sales}]}
    pools:
      web: {sources: [website], session_timeout: $session_timeout, fallback: "+18005550199",
            numbers: ["+13125550142"]}
  service:
    swap_target: "+18005550111"
    sites: ["$site"]
    routing: {targets: [{target: sales}]}
    pools:
      desk: {sources: [website], session_timeout: $session_timeout, numbers: ["+13125550177"]}
""")


@dataclass(frozen=True)
class Stack:
    site: str
    server: str
    app: web.Application

    def page(self, name: str) -> str:
        return f"{self.site}/{name}.html"

    @property
    def store(self) -> Store:
        store = self.app[STORE]
        assert isinstance(store, Store), "this harness opens a SQLite store"
        return store


def site_app(server: Callable[[], str]) -> web.Application:
    """Serves tests/browser/pages/NAME.html with `$swap_js` pointing at the callserver."""
    async def page(request: web.Request) -> web.Response:
        path = PAGES / f"{request.match_info['name']}.html"
        if not path.is_file():
            raise web.HTTPNotFound()
        html = Template(path.read_text()).substitute(swap_js=f"{server()}/swap.js")
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/{name}.html", page)
    return app


@contextlib.asynccontextmanager
async def start_stack(tmp_path: Path, session_timeout: int = 60,
                      hosts: tuple[str, ...] = ()) -> AsyncIterator[Stack]:
    """The site first, since the campaign's `sites` names its origin; it learns the
    callserver's origin once that listens. With `hosts` (names under `TEST_DOMAIN`), the
    campaign's sites are those names on the site's port, sharing a `cookie_domain`."""
    origin: list[str] = []
    async with contextlib.AsyncExitStack() as cleanup:
        site = TestServer(site_app(lambda: origin[0]), host="127.0.0.1")
        await site.start_server()
        cleanup.push_async_callback(site.close)
        config = tmp_path / "callserver.yaml"
        origins = [f"http://{host}:{site.port}" for host in hosts or ("127.0.0.1",)]
        config.write_text(CONFIG.substitute(
            site=origins[0], sites=", ".join(f'"{o}"' for o in origins),
            cookie_domain=f"    cookie_domain: {TEST_DOMAIN}" if hosts else "",
            session_timeout=session_timeout))
        loopback = HostPort("127.0.0.1", 0)
        app = build_app(LiveConfig(config, load_config(config)), Secrets(),
                        Listen(http=loopback, agi=loopback, ami=loopback,
                               db=str(tmp_path / "db.sqlite3")))
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        cleanup.push_async_callback(server.close)
        origin.append(f"http://127.0.0.1:{server.port}")
        yield Stack(origins[0], origin[0], app)


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    async with start_stack(tmp_path) as running:
        yield running
