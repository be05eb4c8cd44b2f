"""The monitor's shared schedule state on SQLite and PostgreSQL alike (`either`): a number's
turn goes to one node while its claim lives and only when the stored result makes it due; the
verdict ends the claim, and only its holder may write it. On PostgreSQL, nodes racing for one
turn get one winner, and two monitors on one database call each number once."""

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from callserver.store.monitor_runs import Run, claim, finish, release, runs
from callserver.store.open import AnyStore
from callserver.store.pg import PgStore, open_pg_store
from tests.probe.test_monitor_shared import monitored_config, two_runners_call_each_number_once
from tests.store.conftest import NOW

NUMBER = "+18005550101"
HOLD = timedelta(minutes=2)
HOUR, MINUTE = timedelta(hours=1), timedelta(minutes=1)
VERDICT = {"number": NUMBER, "ok": True, "problems": []}


async def _claim(store: AnyStore, node: str, at: timedelta = timedelta()) -> bool:
    """`node` claims the number at NOW + `at`: due an hour after a pass, a minute after a fail."""
    now = NOW + at
    return bool(await store.write(claim, NUMBER, node, now, now + HOLD, now - HOUR,
                                  now - MINUTE))


async def test_a_claim_holds_the_turn_until_it_ends(either: AnyStore) -> None:
    assert await _claim(either, "a")
    assert not await _claim(either, "b", HOLD - MINUTE)
    assert await _claim(either, "b", HOLD)  # a died mid-call: its claim ran out
    assert await either.read(runs) == [Run(NUMBER, None, None, None, "b", NOW + 2 * HOLD)]


async def test_the_verdict_ends_the_claim_and_sets_when_the_number_is_due(
        either: AnyStore) -> None:
    assert await _claim(either, "a")
    assert not await either.write(finish, NUMBER, "b", VERDICT, True, NOW)  # not b's claim
    assert await either.write(finish, NUMBER, "a", VERDICT, True, NOW)
    assert await either.read(runs) == [Run(NUMBER, VERDICT, True, NOW, None, None)]
    assert not await _claim(either, "b", HOUR - MINUTE)  # passed: due in an hour
    assert await _claim(either, "b", HOUR)
    assert await either.write(finish, NUMBER, "b", VERDICT, False, NOW + HOUR)
    assert not await _claim(either, "a", HOUR + MINUTE / 2)  # failed: due a minute later
    assert await _claim(either, "a", HOUR + MINUTE)


async def test_release_ends_only_the_nodes_own_claims(either: AnyStore) -> None:
    assert await _claim(either, "a")
    await either.write(release, "b")
    assert not await _claim(either, "b")
    await either.write(release, "a")
    assert await _claim(either, "b")
    assert [run.claimed_by for run in await either.read(runs)] == ["b"]


async def test_nodes_racing_for_one_turn_get_one_winner(store: PgStore, pg_url: str) -> None:
    others = [await open_pg_store(pg_url) for _ in range(3)]
    try:
        won = await asyncio.gather(*(_claim(node, name) for name, node in
                                     zip("abcd", [store, *others], strict=True)))
    finally:
        for other in others:
            await other.close()
    assert sorted(won) == [False, False, False, True]


async def test_two_monitors_on_one_postgresql_call_each_due_number_once(
        tmp_path: Path, pg_url: str, caplog: pytest.LogCaptureFixture) -> None:
    await (await open_pg_store(pg_url)).close()  # migrated before both open it
    await two_runners_call_each_number_once(
        monitored_config(tmp_path / "callserver.yaml"), lambda: open_pg_store(pg_url), caplog)
