"""A real callserver on a loopback port, run on its own event loop in a thread, so that
synchronous clients (schemathesis sends with `requests`) can talk to it from the test's thread.

The store is a SQLite file under the test's tmp_path, seeded through the repositories before
the port is handed out: calls in several statuses, webhook deliveries parked and pending (their
URLs point at a closed loopback port, so the outbox worker sends nothing anywhere).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from callserver.app import Listen, build_app
from callserver.config.loader import load_config
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.settings import Secrets
from callserver.store import calls, outbox
from callserver.store.call_values import Call, CallEnd, CallStatus
from callserver.store.db import Store
from callserver.store.delivery_values import Delivery, DeliveryStatus
from callserver.store.open import AnyStore
from callserver.web.keys import STORE

T = TypeVar("T")
ADMIN = "admin-token"
ACME = "acme-token"
SCRAPE = "scrape-token"
SECRETS = Secrets(admin_token=ADMIN, publisher_tokens={ACME: "acme"}, metrics_token=SCRAPE)
NOWHERE = "http://127.0.0.1:9/hook"  # the discard port: nothing listens there
CONFIG = """
timezone: America/New_York
targets:
  sales: {dial: "PJSIP/sales@pbx"}
publishers:
  acme: {name: Acme Media}
sources:
  google-ads: {type: onsite, position: 1, match: {param: {utm_source: "^google$"}},
               cost: {per_call: 12.50}}
  direct: {type: onsite, position: 9, match: {always: true}}
  tv: {type: offsite, cost: {monthly_budget: 900}}
campaigns:
  spring:
    swap_target: "+18005550100"
    sites: ["https://www.example.com"]
    routing: {targets: [{target: sales}]}
    numbers:
      "+18005550101": {source: google-ads, publisher: acme, sub_id: a1, tags: {channel: ppc}}
      "+13125550110": {source: tv}
    pools:
      website: {sources: [google-ads, direct], session_timeout: 1800,
                fallback: "+18005550199", numbers: ["+18005550110"]}
"""
# (id, status or None for in progress, publisher): what the scrape and the API then report.
CALLS = (("c1", CallStatus.ANSWERED, "acme"), ("c2", CallStatus.ANSWERED, None),
         ("c3", CallStatus.BUSY, "acme"), ("c4", None, None))
DELIVERIES = (("d1", DeliveryStatus.PARKED), ("d2", DeliveryStatus.PARKED),
              ("d3", DeliveryStatus.PENDING))
START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


async def seed(store: AnyStore) -> None:
    for n, (call_id, status, publisher) in enumerate(CALLS):
        at = START + timedelta(hours=n)
        number = "+18005550101" if publisher else "+13125550110"
        await store.write(calls.start, Call(
            id=call_id, started_at=at, number=number, caller="+14155550123",
            campaign="spring", source="google-ads" if publisher else "tv", publisher=publisher,
            tags={"channel": "ppc"}, trace={"seeded": call_id}), durable=True)
        if status is not None:
            answered = at + timedelta(seconds=5) if status is CallStatus.ANSWERED else None
            await store.write(calls.complete, call_id, CallEnd(
                status=status, ended_at=at + timedelta(minutes=2), answered_at=answered,
                talk_seconds=100 if answered else None, answered_target="sales",
                converted=answered is not None), durable=True)
    far = datetime.now(UTC) + timedelta(days=365)  # pending, but never due while tests run
    for delivery_id, state in DELIVERIES:
        await store.write(outbox.enqueue, Delivery(
            id=delivery_id, event="call.completed", url=NOWHERE, body="{}", call_id="c1",
            created_at=START, next_attempt_at=far, status=state,
            last_error="connection refused" if state is DeliveryStatus.PARKED else None,
            settled_at=START if state is DeliveryStatus.PARKED else None))


@dataclass
class Server:
    """The running server: `url` to send to, `run` to execute a coroutine on its loop."""

    url: str
    app: web.Application
    loop: asyncio.AbstractEventLoop

    @property
    def store(self) -> Store:
        store = self.app[STORE]
        assert isinstance(store, Store), "this harness opens a SQLite store"
        return store

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=10)


class ServerThread:
    """Starts the server in `start()`, stops it in `stop()`, both from the test's thread."""

    def __init__(self, tmp_path: Path) -> None:
        self._tmp = tmp_path
        self._started: Future[Server] = Future()
        self._thread = threading.Thread(target=self._main, name="callserver-test", daemon=True)
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> Server:
        self._thread.start()
        return self._started.result(timeout=20)

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=20)

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:
            if not self._started.done():
                self._started.set_exception(error)
            raise

    async def _serve(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        config = self._tmp / "callserver.yaml"
        config.write_text(CONFIG)
        loopback = HostPort("127.0.0.1", 0)
        app = build_app(LiveConfig(config, load_config(config)), SECRETS,
                        Listen(http=loopback, agi=loopback, ami=loopback,
                               db=str(self._tmp / "db.sqlite3")))
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            await seed(app[STORE])
            port = runner.addresses[0][1]
            self._started.set_result(Server(f"http://127.0.0.1:{port}", app, self._loop))
            await self._stop.wait()
        finally:
            await runner.cleanup()
