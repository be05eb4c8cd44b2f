"""A real callserver app (store, FastAGI, HTTP) on loopback ports, with a clock tests set."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from callserver.app import Listen, build_app
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.settings import Secrets
from callserver.store import Store, calls, open_store
from callserver.store.call_values import Call
from callserver.web.keys import AGI, STORE
from tests.asterisk.ami_world import World, make_world

DEMO = Path(__file__).parents[2] / "examples" / "demo.yaml"
TUESDAY_NOON_CHICAGO = datetime(2026, 11, 24, 18, tzinfo=UTC)


@dataclass
class Running:
    app: web.Application
    now: datetime

    @property
    def agi_port(self) -> int:
        return self.app[AGI].port

    async def calls(self) -> list[Call]:
        store = self.app[STORE]
        rows = await store.read(lambda conn: [r[0] for r in conn.execute(
            "SELECT id FROM calls ORDER BY started_at, id")])
        return [c for c in [await store.read(calls.get, i) for i in rows] if c is not None]


    async def settled(self) -> list[Call]:
        """The calls, once none is in progress (a PBX that hangs up first does not wait)."""
        async with asyncio.timeout(10):
            while True:
                rows = await self.calls()
                if all(c.status != "in-progress" for c in rows):
                    return rows
                await asyncio.sleep(0.01)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A fresh store file, for the tests that drive the recorder or the store directly."""
    opened = await open_store(tmp_path / "callserver.sqlite3")
    yield opened
    await opened.close()


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with serving(DEMO, tmp_path) as state:
        yield state


@contextlib.asynccontextmanager
async def serving_text(text: str, tmp_path: Path) -> AsyncIterator[Running]:
    """`serving` a config given as text, written to tmp_path/callserver.yaml first."""
    path = tmp_path / "callserver.yaml"
    path.write_text(text)
    async with serving(path, tmp_path) as state:
        yield state


@contextlib.asynccontextmanager
async def serving(config: Path, tmp_path: Path) -> AsyncIterator[Running]:
    """The app serving `config`, its database in `tmp_path`, at Tuesday noon in Chicago."""
    state = Running(web.Application(), TUESDAY_NOON_CHICAGO)
    loopback = HostPort("127.0.0.1", 0)
    app = build_app(LiveConfig(config, load_config(config)), Secrets(),
                    Listen(http=loopback, agi=loopback, ami=loopback,
                           db=str(tmp_path / "db.sqlite3")),
                    clock=lambda: state.now)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    state.app = app
    try:
        yield state
    finally:
        await runner.cleanup()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """The AMI peer, a webhook receiver and a database for callservers to come and go on."""
    async with make_world(tmp_path) as made:
        yield made
