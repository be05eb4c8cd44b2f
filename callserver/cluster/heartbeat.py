"""The node's heartbeat: joins the store's node list at start, beats every few seconds, and
takes over from nodes that stopped beating: closes their calls, makes the webhook deliveries
they had claimed due again (see `callserver.store.nodes`).

With AMI on, a beat that finds interrupted calls of a node no longer listed (one that died, or
stopped cleanly mid-call) asks the AMI client to list Asterisk's channels at once
(`AmiClient.resync`), once for each such call: the recorder then settles those already gone as
interrupted and follows those still live to their real end, instead of at the next reconnect.
With AMI off nothing can learn how an interrupted call really ended, so each beat also settles
as interrupted, with its `call.completed`, every call interrupted longer than the node timeout
ago."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

from aiohttp import web

from callserver.asterisk.ami import AmiClient, AmiError, AmiState
from callserver.call_events import give_up_calls
from callserver.config.resolve import ResolvedConfig
from callserver.live import LiveConfig
from callserver.settings import NodeSettings
from callserver.store import nodes
from callserver.store.open import AnyStore
from callserver.web.keys import AMI, CLOCK, LIVE, SECRETS, STORE

log = logging.getLogger(__name__)
CleanupCtx = Callable[[web.Application], AsyncIterator[None]]
Ami = Callable[[], AmiClient | None]
# The node this app runs as, set once it has joined: what its outbox worker's claims name.
NODE = web.AppKey("node", str)


def heartbeat_ctx(settings: NodeSettings) -> CleanupCtx:
    """Join at start (closing this node's calls left by its last run), beat until stopping,
    then leave; needs the store opened by an earlier cleanup context."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        store, clock = app[STORE], app[CLOCK]
        silent_for = timedelta(seconds=settings.dead_after_s)
        swept = await store.write(nodes.sweep, settings.node, clock(), silent_for, True,
                                  durable=True)
        if swept.calls:
            log.warning("marked %d calls left in progress by the last run as interrupted",
                        len(swept.calls))
        _report_deliveries(swept)
        app[NODE] = settings.node
        log.info("node %s joined (heartbeat every %s s)", settings.node, settings.heartbeat_s)
        waiting = None if app[SECRETS].ami_on else app[LIVE]
        beating = asyncio.create_task(_beat(store, clock, settings, silent_for, waiting,
                                            lambda: app.get(AMI)), name="node-heartbeat")
        yield
        beating.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beating
        try:
            await store.write(nodes.leave, settings.node, durable=True)
        except Exception as error:  # the others will see it silent and close nothing of its
            log.warning("node %s could not leave the node list: %s", settings.node, error)

    return ctx


async def _beat(store: AnyStore, clock: Callable[[], datetime], settings: NodeSettings,
                silent_for: timedelta, waiting: LiveConfig | None, ami: Ami) -> None:
    """`waiting`, the live config when AMI is off: whose webhooks interrupted calls send;
    `ami`, the AMI client once it is made. A resync runs beside the beats, which it must not
    delay (a half-open link answers only at its timeout), and ends with them."""
    resyncs: set[asyncio.Task[None]] = set()
    listed_for: set[str] = set()  # orphans a listing was already asked for
    try:
        while True:
            await asyncio.sleep(settings.heartbeat_s)
            swept = await _sweep(store, clock(), settings, silent_for, waiting)
            client = ami()
            if client is None or client.state is not AmiState.CONNECTED:
                continue
            orphans = set(swept.orphans)
            if orphans - listed_for:
                resync = asyncio.create_task(_resync(client), name="ami-resync")
                resyncs.add(resync)
                resync.add_done_callback(resyncs.discard)
            listed_for = orphans
    finally:
        for resync in resyncs:
            resync.cancel()
        await asyncio.gather(*resyncs, return_exceptions=True)


async def _sweep(store: AnyStore, now: datetime, settings: NodeSettings, silent_for: timedelta,
                 waiting: LiveConfig | None) -> nodes.Swept:
    """One beat's writes and their log lines; a store outage must not stop the beat (the next
    one retries), so a failed sweep took nothing over."""
    config = None if waiting is None else waiting.current
    try:
        swept, given_up = await store.write(_beat_writes, settings.node, now, silent_for,
                                            config, durable=True)
    except Exception:
        log.exception("node heartbeat failed")
        return nodes.Swept()
    if swept.calls:
        log.warning("a node stopped beating: marked its %d calls in progress as "
                    "interrupted", len(swept.calls))
    _report_deliveries(swept)
    if given_up:
        log.warning("AMI off: settled %d interrupted calls as interrupted (their "
                    "call.completed webhooks are queued)", len(given_up))
    return swept


def _beat_writes(conn: sqlite3.Connection, node: str, now: datetime, silent_for: timedelta,
                 config: ResolvedConfig | None) -> tuple[nodes.Swept, list[str]]:
    """The sweep and, with AMI off (`config` given), the interrupted calls given up on: one
    durable commit a beat."""
    swept = nodes.sweep(conn, node, now, silent_for)
    given_up = [] if config is None else give_up_calls(conn, config, now, (), now - silent_for)
    return swept, given_up


async def _resync(client: AmiClient) -> None:
    """Have AMI list the PBX's channels, for the calls no live node follows."""
    try:
        await client.resync()
    except (AmiError, TimeoutError) as error:
        log.warning("AMI %s could not list channels after a node stopped (%s); its calls "
                    "are settled when AMI reconnects", client.address, error)


def _report_deliveries(swept: nodes.Swept) -> None:
    if swept.deliveries:
        log.warning("%d webhook deliveries claimed by a node that stopped are due again",
                    len(swept.deliveries))
