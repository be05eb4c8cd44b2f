"""`headers_env`: a header's value comes from the environment at send time and is kept nowhere.

A real receiver gets the header; the outbox row, the worker's log, `GET
/api/webhooks/deliveries` and the dashboard's webhooks page (the real app on the same store)
name the variable, never the value. A variable missing at send time fails the attempt, naming
it, and the delivery follows the retry schedule like any failed attempt.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, closing

import aiohttp
import pytest
from aiohttp import web

from callserver.app import Listen, build_app
from callserver.config.resolve import ResolvedConfig
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.settings import Secrets
from callserver.store import open_store, outbox
from callserver.store.delivery_values import Delivery, DeliveryStatus
from callserver.webhooks.schedule import ATTEMPTS, DELAYS
from callserver.webhooks.worker import OutboxWorker
from tests.dashboard.conftest import ADMIN, Client
from tests.webhooks.conftest import CONFIG, World

KEY = "live-key-8f3a2c"
VALUE = f"Bearer {KEY}"
HOOKS = """      - on: call.answered
        url: "BASE/crm"
        headers: {X-Campaign: "{{ campaign.name }}"}
        headers_env: {Authorization: CRM_AUTH}
      - on: call.answered
        url: "BASE/echo"
        headers_env: {Authorization: CRM_AUTH}
"""


@pytest.fixture
def answered(world: World, write_config: Callable[[str], ResolvedConfig]) -> World:
    """The world with two call.answered hooks whose Authorization comes from CRM_AUTH."""
    world.config = write_config(CONFIG.replace("    webhooks:\n", "    webhooks:\n" + HOOKS, 1))
    world.env["CRM_AUTH"] = VALUE
    return world


def _outbox_text(world: World) -> str:
    with closing(sqlite3.connect(world.db_path)) as conn:
        return repr(conn.execute("SELECT * FROM webhook_outbox").fetchall())


async def test_the_header_is_sent_from_the_environment_and_stored_nowhere(
        answered: World, http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture) -> None:
    crm, echo = await answered.record(answered.call(), "call.answered")
    assert crm.headers_env == {"authorization": "CRM_AUTH"}
    assert await answered.worker(http).run_once() == 2

    (got,) = answered.receiver.at("/crm")
    assert got.headers["Authorization"] == VALUE and got.headers["X-Campaign"] == "spring"
    assert got.headers["webhook-id"] == crm.id
    sent = await answered.store.read(outbox.get, crm.id)
    assert sent is not None and sent.status is DeliveryStatus.DELIVERED
    assert sent.headers_env == {"authorization": "CRM_AUTH"}
    refused = await answered.store.read(outbox.get, echo.id)
    assert refused is not None and refused.status is DeliveryStatus.PENDING
    assert refused.last_error == "HTTP 401 unknown key ***"  # the receiver quoted it back
    assert "CRM_AUTH" in _outbox_text(answered)
    assert KEY not in _outbox_text(answered) and KEY not in caplog.text


async def _sent_without_the_variable(world: World, http: aiohttp.ClientSession
                                     ) -> tuple[Delivery, OutboxWorker]:
    """The call.answered deliveries attempted once with CRM_AUTH unset: the /crm one, and the
    worker that attempted it."""
    del world.env["CRM_AUTH"]
    crm, _echo = await world.record(world.call(), "call.answered")
    worker = world.worker(http)
    await worker.run_once()
    return crm, worker


async def test_a_missing_variable_fails_the_attempt_by_name_and_is_retried_then_parked(
        answered: World, http: aiohttp.ClientSession) -> None:
    crm, worker = await _sent_without_the_variable(answered, http)

    waiting = await answered.store.read(outbox.get, crm.id)
    assert waiting is not None
    assert (waiting.status, waiting.attempts) == (DeliveryStatus.PENDING, 1)
    assert waiting.next_attempt_at == answered.clock() + DELAYS[0]
    assert "environment variable CRM_AUTH (header authorization) is not set" in (
        waiting.last_error or "")
    assert answered.receiver.received == []  # nothing goes out without its header

    for delay in DELAYS:
        answered.clock.advance(delay)
        await worker.run_once()
    parked = await answered.store.read(outbox.get, crm.id)
    assert parked is not None and parked.status is DeliveryStatus.PARKED
    assert parked.last_error is not None and "CRM_AUTH" in parked.last_error
    assert parked.last_error.endswith(f"(gave up after {ATTEMPTS} attempts)")


async def test_a_variable_set_before_the_retry_is_sent(
        answered: World, http: aiohttp.ClientSession) -> None:
    crm, worker = await _sent_without_the_variable(answered, http)
    answered.env["CRM_AUTH"] = VALUE  # set, and callserver restarted
    answered.clock.advance(DELAYS[0])
    await worker.run_once()

    (got,) = answered.receiver.at("/crm")
    assert got.headers["Authorization"] == VALUE
    delivered = await answered.store.read(outbox.get, crm.id)
    assert delivered is not None and delivered.status is DeliveryStatus.DELIVERED


async def test_a_value_with_a_line_break_is_refused_by_name(
        answered: World, http: aiohttp.ClientSession) -> None:
    answered.env["CRM_AUTH"] = f"{VALUE}\r\nX-Injected: yes"
    crm, _echo = await answered.record(answered.call(), "call.answered")
    await answered.worker(http).run_once()

    waiting = await answered.store.read(outbox.get, crm.id)
    assert waiting is not None and waiting.status is DeliveryStatus.PENDING
    assert waiting.last_error == ("environment variable CRM_AUTH (header authorization) holds "
                                  "a line break, which no header value may")
    assert answered.receiver.received == []


@asynccontextmanager
async def _served(world: World) -> AsyncIterator[str]:
    """The real app on the world's store file, as `serve` would run it."""
    await world.store.close()
    loopback = HostPort("127.0.0.1", 0)
    app = build_app(LiveConfig(world.config.path, world.config), Secrets(admin_token=ADMIN),
                    Listen(http=loopback, agi=loopback, ami=loopback, db=str(world.db_path)),
                    clock=world.clock)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
        world.store = await open_store(world.db_path)  # the fixture closes it


async def test_the_api_and_the_dashboard_name_the_variable_never_the_value(
        answered: World, http: aiohttp.ClientSession) -> None:
    await answered.record(answered.call(), "call.answered")
    await answered.worker(http).run_once()  # one delivered, one refused (pending)

    async with _served(answered) as base:
        for status in ("delivered", "pending"):
            async with http.get(f"{base}/api/webhooks/deliveries?status={status}",
                                headers={"Authorization": f"Bearer {ADMIN}"}) as response:
                text = await response.text()
                (listed,) = (await response.json())["deliveries"]
            assert listed["headers_env"] == {"authorization": "CRM_AUTH"}, status
            assert KEY not in text, status
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as jar:
            client = Client(base, jar)
            await client.sign_in(ADMIN)
            for status in ("delivered", "pending"):
                code, html = await client.get(f"/dashboard/webhooks?status={status}")
                assert code == 200 and "data-delivery=" in html, status
                assert KEY not in html, status
