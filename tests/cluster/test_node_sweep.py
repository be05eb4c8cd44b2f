"""Nodes on one store, at store level on SQLite and PostgreSQL: a start-up closes only its own
calls (and those no node took), a node silent too long has its calls closed by a live one (whose
heartbeat then has AMI list the PBX's channels, for those calls, as it does for the calls of a
node that stopped cleanly mid-call), and a cap checked and started
in one write is never exceeded by two PostgreSQL stores racing."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from aiohttp import web

from callserver.asterisk.ami import AmiClient, AmiMessage
from callserver.cluster.heartbeat import heartbeat_ctx
from callserver.settings import NodeSettings
from callserver.store import call_totals, calls, cap_guards, cut_off, monitor_runs, nodes
from callserver.store.call_values import CallEnd, CallStatus
from callserver.store.open import AnyStore
from callserver.store.pg import PgStore, open_pg_store
from callserver.web.keys import AMI, CLOCK, SECRETS, STORE
from tests.asterisk.ami_world import AMI_LOGIN, eventually
from tests.peers.ami_peer import AmiPeer
from tests.store.conftest import NOW
from tests.store.test_calls import _call

SILENT = timedelta(seconds=30)


async def _start(store: AnyStore, n: int, node: str | None) -> None:
    await store.write(calls.start, replace(_call(n), node=node), durable=True)


async def _status(store: AnyStore, n: int) -> CallStatus | None:
    call = await store.read(calls.get, f"call-{n}")
    return None if call is None else call.status


async def test_a_start_closes_its_own_calls_and_unowned_ones_not_a_live_node(
        either: AnyStore) -> None:
    await either.write(nodes.beat, "a", NOW)
    await either.write(nodes.beat, "b", NOW)
    await _start(either, 1, "a")
    await _start(either, 2, "b")
    await _start(either, 3, None)

    swept = await either.write(nodes.sweep, "a", NOW + SILENT / 2, SILENT, True)

    assert swept.calls == ("call-1", "call-3")
    assert await _status(either, 2) is CallStatus.IN_PROGRESS
    assert await either.read(nodes.listed) == ["a", "b"]


async def test_a_silent_node_s_calls_are_closed_by_a_live_one_once(either: AnyStore) -> None:
    await either.write(nodes.beat, "a", NOW)
    await either.write(nodes.beat, "b", NOW)
    await _start(either, 1, "a")
    await _start(either, 2, "b")
    await _start(either, 3, None)
    later = NOW + SILENT + timedelta(seconds=1)
    await either.write(nodes.beat, "b", later - timedelta(seconds=2))  # b kept beating

    assert (await either.write(nodes.sweep, "b", later, SILENT)).calls == ("call-1",)
    # Closed once; still waiting for AMI, and no listed node follows it.
    assert await either.write(nodes.sweep, "b", later, SILENT) == nodes.Swept(
        orphans=("call-1",))
    assert await _status(either, 2) is CallStatus.IN_PROGRESS
    assert await _status(either, 3) is CallStatus.IN_PROGRESS  # only a start closes these
    assert await either.read(nodes.listed) == ["b"]


async def test_a_dead_node_s_monitor_turn_is_free_again_at_once(either: AnyStore) -> None:
    await either.write(nodes.beat, "a", NOW)
    await either.write(nodes.beat, "b", NOW)
    hour = timedelta(hours=1)
    assert await either.write(monitor_runs.claim, "+18005550101", "a", NOW, NOW + hour,
                              NOW, NOW)
    later = NOW + SILENT + timedelta(seconds=1)
    assert not await either.write(monitor_runs.claim, "+18005550101", "b", later,
                                  later + hour, later, later)  # a's claim still holds
    await either.write(nodes.beat, "b", later)
    await either.write(nodes.sweep, "b", later, SILENT)
    assert await either.write(monitor_runs.claim, "+18005550101", "b", later, later + hour,
                              later, later)


async def test_a_node_that_leaves_is_no_longer_listed(either: AnyStore) -> None:
    await either.write(nodes.beat, "a", NOW)
    await either.write(nodes.leave, "a")
    assert await either.read(nodes.listed) == []


async def test_the_calls_a_node_cut_off_as_it_left_are_orphans_until_settled(
        either: AnyStore) -> None:
    """A node that stops cleanly mid-call closes its calls as interrupted and leaves: no sweep
    closes anything, but the survivors' sweep names those calls for AMI to list."""
    await either.write(nodes.beat, "a", NOW)
    await either.write(nodes.beat, "b", NOW)
    await _start(either, 1, "a")
    await _start(either, 2, "b")
    await either.write(cut_off.mark_interrupted, NOW, ["a"])
    assert (await either.write(nodes.sweep, "b", NOW, SILENT)).orphans == ()  # a still listed
    await either.write(nodes.leave, "a")
    assert await either.write(nodes.sweep, "b", NOW, SILENT) == nodes.Swept(
        orphans=("call-1",))
    await either.write(cut_off.give_up, NOW, (), None)
    assert (await either.write(nodes.sweep, "b", NOW, SILENT)).orphans == ()


async def test_a_sweep_that_closed_another_node_s_calls_has_ami_list_the_channels(
        either: AnyStore) -> None:
    listings: list[tuple[AmiMessage, ...]] = []
    beats: list[datetime] = []

    async def ignore(message: AmiMessage) -> None:
        pass

    async def listed(channels: tuple[AmiMessage, ...]) -> None:
        listings.append(channels)

    def clock() -> datetime:
        beats.append(datetime.now(UTC))
        return beats[-1]

    async with AmiPeer() as peer:
        client = AmiClient("127.0.0.1", peer.port, "callserver", "s3cret", ignore,
                           on_reconnect=listed)
        app = web.Application()
        app[STORE], app[CLOCK], app[SECRETS], app[AMI] = either, clock, AMI_LOGIN, client
        app.cleanup_ctx.append(heartbeat_ctx(NodeSettings("a", heartbeat_s=0.02,
                                                          dead_after_s=0.5)))
        runner = web.AppRunner(app)
        await client.start()
        await runner.setup()
        try:
            await eventually(lambda: len(listings) == 1 and len(beats) > 3)
            assert peer.count("CoreShowChannels") == 1  # beats that closed nothing ask nothing
            await _start(either, 1, "b")
            await either.write(nodes.beat, "b", datetime.now(UTC) - timedelta(seconds=1))
            await eventually(lambda: len(listings) == 2)
            swept_at = len(beats)
            await eventually(lambda: len(beats) > swept_at + 3)  # call-1 is not listed again
            await either.write(nodes.beat, "c", datetime.now(UTC))
            await _start(either, 2, "c")
            await either.write(cut_off.mark_interrupted, datetime.now(UTC), ["c"])
            await either.write(nodes.leave, "c")  # c stopped cleanly: nothing for a sweep
            await eventually(lambda: len(listings) == 3)
            left_at = len(beats)
            await eventually(lambda: len(beats) > left_at + 3)
        finally:
            await runner.cleanup()
            await client.stop()

    assert await _status(either, 1) is CallStatus.INTERRUPTED
    assert (len(listings), peer.count("CoreShowChannels"), peer.logins) == (3, 3, 1)


CAP = 5


def _start_under_cap(conn: sqlite3.Connection, n: int) -> bool:
    """What `call_events.start_call` does for a capped number: guard, count, insert."""
    cap_guards.guard(conn, ["number:+18005550101"], NOW)
    taken = call_totals.count_since(conn, "number", "+18005550101", NOW, CAP)
    status = CallStatus.IN_PROGRESS if taken < CAP else CallStatus.CAPPED
    call = _call(n)
    end = None if status is CallStatus.IN_PROGRESS else CallEnd(status, NOW)
    calls.start(conn, replace(call, number="+18005550101", started_at=NOW, end=end))
    return status is CallStatus.IN_PROGRESS


async def test_two_postgresql_stores_racing_never_exceed_a_cap(store: PgStore,
                                                               pg_url: str) -> None:
    other = await open_pg_store(pg_url)
    try:
        admitted = await asyncio.gather(*(
            node.write(_start_under_cap, 2 * i + k, durable=True)
            for i in range(40) for k, node in enumerate([store, other])))
    finally:
        await other.close()
    assert sum(admitted) == CAP
    assert await store.read(call_totals.count_since, "number", "+18005550101", NOW) == CAP
