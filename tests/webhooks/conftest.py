from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from callserver.config.loader import load_config
from callserver.config.resolve import ResolvedConfig
from callserver.store import Store, calls, open_store
from callserver.store.call_values import Call, CallEnd, CallStatus
from callserver.store.delivery_values import Delivery
from callserver.store.sessions import VisitorSession
from callserver.webhooks.enqueue import enqueue_for_call
from callserver.webhooks.worker import OutboxWorker
from tests.webhooks.receiver import Receiver

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
HOOK_SECRET = "whsec_" + "c2VjcmV0LWZvci10ZXN0cw=="
CONFIG = """
timezone: UTC
publishers: {acme: {name: Acme Media}}
sources:
  google-ads: {type: onsite, position: 1, match: {param: {utm_source: "^google$"}},
               tags: {channel: search}, cost: {per_call: 12.5}}
  tv: {type: offsite, tags: {channel: tv},
       analytics: {source: tv, medium: offline, campaign: winter-spot}}
campaigns:
  spring:
    name: Spring sale
    capture_cookies: [_biz_uid, _ga]
    analytics: {ga4: {measurement_id: G-TEST123, api_secret_env: GA4_SECRET}}
    webhooks:
      - on: [call.completed, call.converted]
        url: "BASE/hook"
        secret_env: HOOK_SECRET
      - on: call.started
        url: "BASE/started?caller={{ call.caller | urlencode }}"
        headers: {X-Campaign: "{{ campaign.display_name }}"}
        body: '{"from": "{{ call.caller }}", "channel": "{{ tags.channel }}",
                "gclid": "{{ session.gclid }}"}'
    numbers:
      "+18005550101": {source: google-ads, publisher: acme, sub_id: a1, tags: {ad_group: x}}
      "+18005550102":
        source: tv
        unlock: {webhooks: [{on: call.completed, url: "BASE/tv"}]}
"""


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


@dataclass
class World:
    """A config whose webhooks point at the receiver, the store, and an environment."""

    config: ResolvedConfig
    store: Store
    receiver: Receiver
    clock: Clock
    env: dict[str, str]
    db_path: Path

    def call(self, number: str = "+18005550101", *, talk: float | None = 95.0,
             converted: bool = True, ended: bool = True) -> Call:
        view = self.config.lookup(number)
        assert view is not None
        end = CallEnd(status=CallStatus.ANSWERED, ended_at=NOW + timedelta(minutes=2),
                      answered_at=NOW + timedelta(seconds=10), talk_seconds=talk,
                      ring_seconds=10.0, answered_target="sales", converted=converted)
        return Call(id=f"call-{number[-4:]}", started_at=NOW, number=view.number,
                    caller="+13125550123", campaign=view.campaign, source=view.source,
                    publisher=view.publisher, tags=dict(view.tags), sub_id=view.sub_id,
                    ivr_path=("1",), end=end if ended else None)

    async def record(self, call: Call, event: str, session: VisitorSession | None = None
                     ) -> list[Delivery]:
        """What the call edge does: the call row and its event's deliveries in one write."""
        view = self.config.lookup(call.number)
        assert view is not None

        def write(conn: sqlite3.Connection) -> list[Delivery]:
            if calls.get(conn, call.id) is None:
                calls.start(conn, call)
            return enqueue_for_call(conn, self.config, view, call, session, event,
                                    self.clock(), self.env)

        return await self.store.write(write)

    def worker(self, http: aiohttp.ClientSession) -> OutboxWorker:
        return OutboxWorker(self.store, http, self.clock, env=self.env, jitter=lambda: 0.5)


def session(first_seen: datetime = NOW - timedelta(minutes=5), **cookies: str) -> VisitorSession:
    return VisitorSession(
        session_id="sess-1", visitor_id="visitor-1", campaign="spring", first_seen=first_seen,
        last_seen=NOW, source="google-ads", number="+18005550101",
        landing_url="https://www.example.com/?utm_source=google&gclid=abc",
        referrer="https://www.google.com/", utm_source="google", utm_medium="cpc",
        utm_campaign="spring-sale", utm_term="plumber", gclid="abc", cookies=cookies)


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", found.handle)
    runner, found.base = await serve(app)
    yield found
    found.release.set()
    await runner.cleanup()


@pytest.fixture
def write_config(tmp_path: Path, receiver: Receiver) -> Callable[[str], ResolvedConfig]:
    def write(text: str = CONFIG) -> ResolvedConfig:
        path = tmp_path / "callserver.yaml"
        path.write_text(text.replace("BASE", receiver.base))
        return load_config(path)

    return write


@pytest.fixture
async def world(tmp_path: Path, receiver: Receiver,
                write_config: Callable[[str], ResolvedConfig]) -> AsyncIterator[World]:
    db_path = tmp_path / "callserver.sqlite3"
    store = await open_store(db_path)
    env = {"HOOK_SECRET": HOOK_SECRET, "GA4_SECRET": "ga-api-secret",
           "CALLSERVER_GA4_ENDPOINT": receiver.base}
    world = World(write_config(CONFIG), store, receiver, Clock(), env, db_path)
    yield world
    await world.store.close()  # a test may have reopened it, as a restarted process would


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        yield session
