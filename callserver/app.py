"""Wires config, store, HTTP app, FastAGI server and AMI client; each resource's start and stop
are paired in one cleanup context, so a failed start unwinds what had started."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiohttp import web

from callserver.asterisk.agi.server import AgiServer
from callserver.asterisk.ami.client import AmiClient
from callserver.asterisk.inbound import InboundDeps, inbound_handler
from callserver.asterisk.lifecycle.recorder import LifecycleRecorder
from callserver.asterisk.lifecycle.tracker import Tracker
from callserver.asterisk.live_calls import LiveCalls
from callserver.attribution.erasure import erasure_ctx
from callserver.attribution.proxies import TrustedProxies
from callserver.cluster.config_follow import config_follow_ctx
from callserver.cluster.heartbeat import heartbeat_ctx
from callserver.hostport import HostPort
from callserver.live import LiveConfig
from callserver.probe.monitor import api as monitor_api
from callserver.probe.monitor.runner import monitor_ctx
from callserver.settings import NodeSettings, Secrets
from callserver.store.open import open_store
from callserver.web import (
    admin,
    dashboard,
    headers,
    health,
    metrics,
    number_list,
    numbers,
    openapi,
    outbox,
    pools,
    reports,
    snippet_test,
    swap,
    swapjs,
)
from callserver.web.keys import AGI, AMI, CLOCK, LIVE, SECRETS, STORE, TRUSTED_PROXIES
from callserver.webhooks.worker import outbox_worker

log = logging.getLogger(__name__)
CleanupCtx = Callable[[web.Application], AsyncIterator[None]]

LIVE_CALLS = web.AppKey("live_calls", LiveCalls)
RECORDER = web.AppKey("recorder", LifecycleRecorder)


@dataclass(frozen=True)
class Listen:
    """Where each side listens or connects, who this node is on the shared store, and which
    peers of the HTTP side are proxies whose forwarded headers are believed."""

    http: HostPort
    agi: HostPort
    ami: HostPort
    db: str
    node: NodeSettings = field(default_factory=NodeSettings.from_env)
    proxies: TrustedProxies = field(default_factory=TrustedProxies)


def build_app(live: LiveConfig, secrets: Secrets, listen: Listen,
              clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> web.Application:
    app = web.Application()
    app[LIVE] = live
    app[SECRETS] = secrets
    app[TRUSTED_PROXIES] = listen.proxies
    app[CLOCK] = clock
    app[LIVE_CALLS] = LiveCalls()
    headers.install(app)
    health.add_routes(app)
    admin.add_routes(app)
    swapjs.add_routes(app)
    swap.add_routes(app)
    pools.add_routes(app)
    numbers.add_routes(app)
    number_list.add_routes(app)
    snippet_test.add_routes(app)
    reports.add_routes(app)
    outbox.add_routes(app)
    metrics.add_routes(app)
    openapi.add_routes(app)
    dashboard.add_routes(app)
    monitor_api.add_routes(app)
    app.cleanup_ctx.extend([_store(listen.db), heartbeat_ctx(listen.node), config_follow_ctx,
                            outbox_worker, _agi(listen.agi, listen.node.node),
                            _ami(listen.ami), monitor_ctx, erasure_ctx])
    return app


def _store(path: str) -> CleanupCtx:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        store = await open_store(path)
        app[STORE] = store
        app[RECORDER] = LifecycleRecorder(store, Tracker(), clock=app[CLOCK],
                                          config=lambda: app[LIVE].current)
        yield
        await store.close()

    return ctx


def _agi(where: HostPort, node: str) -> CleanupCtx:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        deps = InboundDeps(app[LIVE], app[STORE], app[LIVE_CALLS], app[CLOCK], app[RECORDER],
                           ami_connected=lambda: AMI in app and app[AMI].state == "connected",
                           node=node)
        server = AgiServer({"inbound": inbound_handler(deps)}, host=where.host, port=where.port)
        await server.start()
        app[AGI] = server
        yield
        await server.stop()

    return ctx


def _ami(where: HostPort) -> CleanupCtx:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        secrets = app[SECRETS]
        if not secrets.ami_on:
            log.warning("AMI off: set CALLSERVER_AMI_USER and CALLSERVER_AMI_SECRET to follow "
                        "calls through Asterisk's manager interface at %s", where)
            yield
            return
        recorder = app[RECORDER]
        client = AmiClient(where.host, where.port, secrets.ami_user or "", secrets.ami_secret or "",
                           recorder.on_event, on_reconnect=recorder.on_reconnect)
        await client.start()
        app[AMI] = client
        yield
        await client.stop()

    return ctx
