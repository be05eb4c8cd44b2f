"""A real callserver app on a loopback port with the reporting routes, a SQLite store seeded
through the call repository, and a client that speaks to it with real tokens."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
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
from callserver.store import calls
from callserver.store.call_values import Call, CallEnd, CallStatus
from callserver.store.db import Store
from callserver.web.keys import STORE

ADMIN = "admin-token"
ACME = "acme-token"
METRO = "metro-token"
SECRETS = Secrets(admin_token=ADMIN, publisher_tokens={ACME: "acme", METRO: "metro"})

CONFIG = """
timezone: America/New_York
targets:
  sales: {dial: "PJSIP/sales@pbx"}
publishers:
  acme: {name: Acme Media}
  metro: {name: Metro Media}
sources:
  google-ads: {type: offsite, cost: {per_call: 12.50}}
  tv: {type: offsite, cost: {monthly_budget: 900}}
  radio: {type: offsite}
campaigns:
  spring:
    routing: {targets: [{target: sales}]}
    numbers:
      "+18005550101": {source: google-ads, publisher: acme, sub_id: a1}
      "+13125550110": {source: tv, publisher: metro, sub_id: m1}
  fall:
    routing: {targets: [{target: sales}]}
    numbers:
      "+18885550104": {source: tv}
"""


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class Seed:
    """A call to seed: where it came from, and how it ended (`status` None: in progress)."""

    id: str
    at: str
    campaign: str
    source: str | None
    publisher: str | None
    number: str
    sub_id: str | None
    channel: str
    status: CallStatus | None = CallStatus.ANSWERED
    talk: float | None = None
    converted: bool = False

    def call(self) -> Call:
        return Call(id=self.id, started_at=utc(self.at), number=self.number,
                    caller="+14155550123", campaign=self.campaign, source=self.source,
                    publisher=self.publisher, tags={"channel": self.channel},
                    sub_id=self.sub_id, trace={"seeded": self.id})

    def end(self) -> CallEnd | None:
        if self.status is None:
            return None
        ended = utc(self.at) + timedelta(seconds=(self.talk or 0) + 10)
        answered = self.status is CallStatus.ANSWERED
        return CallEnd(status=self.status, ended_at=ended,
                       answered_at=utc(self.at) + timedelta(seconds=10) if answered else None,
                       ring_seconds=10, talk_seconds=self.talk,
                       answered_target="sales" if answered else None, converted=self.converted)


def acme(id: str, at: str, **end: Any) -> Seed:
    return Seed(id, at, "spring", "google-ads", "acme", "+18005550101", "a1", "search", **end)


def metro(id: str, at: str, **end: Any) -> Seed:
    return Seed(id, at, "spring", "tv", "metro", "+13125550110", "m1", "tv", **end)


# March 2026 in New York. m3 starts on 1 April in UTC but on 31 March in New York, so tv's
# March budget (900) is spread over four calls: m1, m2, m3 and n1.
SEEDS = (
    acme("a1", "2026-03-02T14:00:00+00:00", talk=120, converted=True),
    acme("a2", "2026-03-02T15:30:00+00:00", talk=30),
    acme("a3", "2026-03-03T16:00:00+00:00", status=CallStatus.NO_ANSWER),
    metro("m1", "2026-03-02T14:10:00+00:00", talk=200, converted=True),
    metro("m2", "2026-03-05T20:00:00+00:00", status=CallStatus.BUSY),
    metro("m3", "2026-04-01T03:30:00+00:00", talk=60, converted=True),
    Seed("n1", "2026-03-10T12:00:00+00:00", "fall", "tv", None, "+18885550104", None, "tv",
         talk=100),
    Seed("n2", "2026-03-10T13:00:00+00:00", "fall", "radio", None, "+18885550104", None,
         "radio", status=None),
)


async def seed(store: Store, *seeds: Seed) -> None:
    """Write each call as the call edge does: started first, completed from how it ended."""
    for each in seeds:
        await store.write(calls.start, each.call(), durable=True)
        end = each.end()
        if end is not None:
            assert await store.write(calls.complete, each.id, end, durable=True)


@dataclass
class Api:
    base: str
    app: web.Application
    http: aiohttp.ClientSession

    @property
    def store(self) -> Store:
        store = self.app[STORE]
        assert isinstance(store, Store), "this harness opens a SQLite store"
        return store

    async def get(self, path: str, token: str | None = ADMIN,
                  params: Any = (), headers: Mapping[str, str] | None = None
                  ) -> tuple[int, str, str]:
        """Status, content type and body text."""
        sent = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        async with self.http.get(f"{self.base}{path}", params=params, headers=sent) as response:
            return response.status, response.content_type, await response.text()

    async def json(self, path: str, token: str | None = ADMIN, params: Any = ()) -> Any:
        status, kind, body = await self.get(path, token, params)
        assert (status, kind) == (200, "application/json"), body
        return json.loads(body)

    async def csv(self, path: str, token: str | None = ADMIN, params: Any = ()
                  ) -> list[dict[str, str]]:
        status, kind, body = await self.get(path, token, params, {"Accept": "text/csv"})
        assert (status, kind) == (200, "text/csv"), body
        return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    config = tmp_path / "callserver.yaml"
    config.write_text(CONFIG)
    loopback = HostPort("127.0.0.1", 0)
    app = build_app(LiveConfig(config, load_config(config)), SECRETS,
                    Listen(http=loopback, agi=loopback, ami=loopback,
                           db=str(tmp_path / "db.sqlite3")))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession() as http:
            ready = Api(f"http://127.0.0.1:{port}", app, http)
            await seed(ready.store, *SEEDS)
            yield ready
    finally:
        await runner.cleanup()
