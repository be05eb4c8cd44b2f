"""Interrupted calls AMI can no longer report are settled once, as interrupted, with their
call.completed in the same write: on SQLite and on PostgreSQL alike (`either`), and migration
0010 counts calls interrupted long before the upgrade as settled already."""

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callserver.call_events import give_up_calls
from callserver.config.loader import parse_config
from callserver.config.resolve import ResolvedConfig
from callserver.store import calls, cut_off
from callserver.store.call_values import CallEnd, CallStatus
from callserver.store.columns import instant
from callserver.store.open import AnyStore, open_store
from tests.asterisk.webhook_config import CONFIG
from tests.pg.upgrade import before_migration
from tests.store.conftest import NOW
from tests.store.test_calls import ANSWERED, _call

LATER = NOW + timedelta(minutes=10)
CUT_OFF = CallEnd(CallStatus.INTERRUPTED, NOW + timedelta(minutes=1))


@pytest.fixture
def config(tmp_path: Path) -> ResolvedConfig:
    text = CONFIG.replace("BASE", "https://crm.example.com")
    return parse_config(text, "callserver.yaml", tmp_path / "callserver.yaml")


async def _interrupted(store: AnyStore, *numbers: int) -> None:
    for n in numbers:
        await store.write(calls.start, _call(n, end=CUT_OFF))


async def test_only_waiting_calls_nobody_follows_are_settled_and_each_once(
        either: AnyStore) -> None:
    await _interrupted(either, 1, 2, 3)
    await either.write(calls.start, _call(4))  # in progress: not AMI's to give up
    await either.write(calls.start, replace(_call(5, end=CUT_OFF), uniqueid=None))  # no channel
    followed = frozenset({"1767000000.2"})
    settled = await either.write(cut_off.give_up, LATER, followed)
    assert [c.id for c in settled] == ["call-1", "call-3", "call-5"]
    assert {c.status for c in settled} == {CallStatus.INTERRUPTED}
    assert await either.write(cut_off.give_up, LATER, followed) == []
    assert [c.id for c in await either.write(cut_off.give_up, LATER)] == ["call-2"]


async def test_a_grace_bound_leaves_calls_interrupted_since(either: AnyStore) -> None:
    await _interrupted(either, 1)
    assert await either.write(cut_off.give_up, LATER, (), CUT_OFF.ended_at) == []
    later = CUT_OFF.ended_at + timedelta(microseconds=1)
    assert [c.id for c in await either.write(cut_off.give_up, LATER, (), later)] == ["call-1"]


async def test_a_settled_call_is_final_but_still_gains_amis_facts(either: AnyStore) -> None:
    await _interrupted(either, 1, 2)
    await either.write(cut_off.give_up, LATER, {"1767000000.2"})
    assert not await either.write(calls.complete, "call-1", ANSWERED)
    assert await either.write(calls.finish, "call-1", ANSWERED) is None
    assert await either.write(calls.set_hangup, "call-1", ANSWERED)
    settled = await either.read(calls.get, "call-1")
    assert settled is not None and settled.end == CallEnd(
        CallStatus.INTERRUPTED, CUT_OFF.ended_at, ring_seconds=12.0, hangup_cause="16")
    assert await either.write(calls.complete, "call-2", ANSWERED)  # still waiting: AMI's word


async def test_giving_up_enqueues_one_call_completed_with_status_interrupted(
        either: AnyStore, config: ResolvedConfig) -> None:
    await _interrupted(either, 1)
    await either.write(calls.start, _call(2, number="+18005550199", end=CUT_OFF))  # unknown
    given_up = await either.write(give_up_calls, config, LATER, (), None, {})
    assert given_up == ["call-1", "call-2"]
    assert await either.write(give_up_calls, config, LATER, (), None, {}) == []
    rows = await either.read(lambda conn: conn.execute(
        "SELECT event, call_id, body FROM webhook_outbox").fetchall())
    assert [(event, call_id) for event, call_id, _ in rows] == [("call.completed", "call-1")]
    call = json.loads(rows[0][2])["data"]["call"]
    assert (call["status"], call["ended_at"]) == ("interrupted", "2026-03-02T15:05:05Z")


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_migration_0010_settles_only_calls_interrupted_over_a_day_before(
        engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    with before_migration(engine, 10, NOW, tmp_path, request) as (conn, upgrade):
        recent = datetime.now(UTC) - timedelta(hours=1)
        for n, ended in ((1, NOW), (2, recent)):  # the columns a version-9 calls table has
            conn.execute("INSERT INTO calls (id, started_at, number, caller, status, ended_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         (f"call-{n}", instant(NOW), "+18005550101", "+13125550199",
                          CallStatus.INTERRUPTED, instant(ended)))
        upgrade()
        found = dict(conn.execute("SELECT id, settled_at FROM calls ORDER BY id").fetchall())
    assert found == {"call-1": "2026-03-02T15:04:05.000000Z", "call-2": None}



@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
async def test_two_nodes_giving_up_together_enqueue_each_call_once(
        engine: str, tmp_path: Path, request: pytest.FixtureRequest,
        config: ResolvedConfig) -> None:
    where = (str(tmp_path / "db.sqlite3") if engine == "sqlite"
             else request.getfixturevalue("pg_url"))
    nodes = [await open_store(where), await open_store(where)]
    try:
        await _interrupted(nodes[0], *range(1, 21))
        given_up = await asyncio.gather(*(node.write(give_up_calls, config, LATER, (), None, {})
                                          for node in nodes))
        events = await nodes[1].read(lambda conn: conn.execute(
            "SELECT call_id FROM webhook_outbox ORDER BY call_id").fetchall())
    finally:
        for node in nodes:
            await node.close()
    assert sorted(given_up[0] + given_up[1]) == sorted(f"call-{n}" for n in range(1, 21))
    assert sorted(call_id for (call_id,) in events) == sorted(f"call-{n}" for n in range(1, 21))
