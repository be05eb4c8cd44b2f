"""The group-committed store's contract, the same on SQLite and PostgreSQL: a write of several
statements costs one hop, a failing write is undone alone, a write cancelled before its batch
is dropped, closing commits what is queued, and a closed store refuses work. What differs per
engine (how commits are shared, WAL and busy timeout, isolation) is tested beside each store."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from callserver.store.open import AnyStore, open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """What `--db` would be: a SQLite file, then a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "callserver.sqlite3")
    url: str = request.getfixturevalue("pg_url")
    return url


def _make_table(conn: sqlite3.Connection) -> None:
    key = ("INTEGER PRIMARY KEY" if isinstance(conn, sqlite3.Connection)
           else "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
    conn.execute(f"CREATE TABLE notes (id {key}, text TEXT UNIQUE)")


def _add(conn: sqlite3.Connection, text: str) -> int:
    (note_id,) = conn.execute("INSERT INTO notes (text) VALUES (?) RETURNING id",
                              (text,)).fetchone()
    return int(note_id)


def _texts(conn: sqlite3.Connection) -> list[str]:
    return [text for (text,) in conn.execute("SELECT text FROM notes ORDER BY id")]


async def test_a_write_runs_several_statements_in_one_hop_and_returns_its_result(
        either: AnyStore) -> None:
    def add_two(conn: sqlite3.Connection, first: str, second: str) -> list[str]:
        _add(conn, first)
        _add(conn, second)
        return _texts(conn)

    await either.write(_make_table)
    assert await either.write(add_two, "a", "b") == ["a", "b"]
    assert await either.read(_texts) == ["a", "b"]


async def test_a_failing_write_is_undone_alone(either: AnyStore) -> None:
    def add_then_fail(conn: sqlite3.Connection) -> None:
        _add(conn, "half")
        raise LookupError("no such campaign")

    await either.write(_make_table)
    results = await asyncio.gather(
        either.write(_add, "before"),
        either.write(add_then_fail),
        either.write(_add, "before"),  # breaks the UNIQUE constraint
        either.write(_add, "after"),
        return_exceptions=True,
    )

    assert isinstance(results[1], LookupError)
    assert isinstance(results[2], sqlite3.IntegrityError)
    assert str(results[2]).startswith("UNIQUE constraint failed")
    assert await either.read(_texts) == ["before", "after"]


async def test_a_write_cancelled_before_its_batch_starts_is_dropped(either: AnyStore) -> None:
    await either.write(_make_table)
    cancelled = asyncio.ensure_future(either.write(_add, "never"))
    await asyncio.sleep(0)  # queued; the writer has not taken it yet
    cancelled.cancel()
    await either.write(_add, "kept")

    assert cancelled.cancelled()
    assert await either.read(_texts) == ["kept"]


async def test_close_commits_what_is_queued(target: str) -> None:
    store = await open_store(target)
    await store.write(_make_table)
    queued = [asyncio.ensure_future(store.write(_add, f"queued {i}")) for i in range(3)]
    await asyncio.sleep(0)  # the writes are queued, not yet committed
    await store.close()
    await asyncio.gather(*queued)

    reopened = await open_store(target)
    assert await reopened.read(_texts) == ["queued 0", "queued 1", "queued 2"]
    await reopened.close()


@pytest.mark.parametrize("use", [lambda s: s.write(_texts), lambda s: s.read(_texts)])
async def test_a_closed_store_refuses_work(
        target: str, use: Callable[[AnyStore], asyncio.Future[Any]]) -> None:
    store = await open_store(target)
    await store.close()
    with pytest.raises(RuntimeError, match="closed"):
        await use(store)
