import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from callserver.store import Store, open_store


def _make_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT UNIQUE)")


def _add(conn: sqlite3.Connection, text: str) -> int:
    cursor = conn.execute("INSERT INTO notes (text) VALUES (?)", (text,))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _texts(conn: sqlite3.Connection) -> list[str]:
    return [text for (text,) in conn.execute("SELECT text FROM notes ORDER BY id")]


async def _traced(store: Store, statements: list[str]) -> None:
    """Record every statement the store's connection runs (on its own thread)."""
    await store.read(lambda conn: conn.set_trace_callback(statements.append))


async def test_the_file_is_in_wal_mode_with_a_busy_timeout_and_foreign_keys(
    store: Store, db_path: Path
) -> None:
    def pragmas(conn: sqlite3.Connection) -> list[object]:
        names = ("journal_mode", "busy_timeout", "foreign_keys")
        return [conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names]

    assert await store.read(pragmas) == ["wal", 5000, 1]
    with closing(sqlite3.connect(db_path)) as other:  # WAL is a property of the file
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_a_write_runs_several_statements_in_one_hop_and_returns_its_result(
    store: Store,
) -> None:
    def add_two(conn: sqlite3.Connection, first: str, second: str) -> list[str]:
        _add(conn, first)
        _add(conn, second)
        return _texts(conn)

    await store.write(_make_table)
    assert await store.write(add_two, "a", "b") == ["a", "b"]
    assert await store.read(_texts) == ["a", "b"]


async def test_concurrent_writes_share_commits(store: Store) -> None:
    await store.write(_make_table)
    statements: list[str] = []
    await _traced(store, statements)

    ids = await asyncio.gather(*(store.write(_add, f"note {i}") for i in range(50)))

    assert sorted(ids) == list(range(1, 51))
    assert 1 <= statements.count("COMMIT") < 50
    assert "PRAGMA synchronous = FULL" not in statements


async def test_a_durable_write_commits_with_synchronous_full(store: Store) -> None:
    await store.write(_make_table)
    statements: list[str] = []
    await _traced(store, statements)

    await store.write(_add, "call record", durable=True)

    full = statements.index("PRAGMA synchronous = FULL")
    assert statements[full + 1] == "BEGIN IMMEDIATE"


async def test_a_failing_write_is_undone_alone(store: Store) -> None:
    def add_then_fail(conn: sqlite3.Connection) -> None:
        _add(conn, "half")
        raise LookupError("no such campaign")

    await store.write(_make_table)
    results = await asyncio.gather(
        store.write(_add, "before"),
        store.write(add_then_fail),
        store.write(_add, "before"),  # breaks the UNIQUE constraint
        store.write(_add, "after"),
        return_exceptions=True,
    )

    assert isinstance(results[1], LookupError)
    assert isinstance(results[2], sqlite3.IntegrityError)
    assert await store.read(_texts) == ["before", "after"]


async def test_a_failing_write_alone_in_its_batch_is_undone(store: Store) -> None:
    def add_then_fail(conn: sqlite3.Connection) -> None:
        _add(conn, "half")
        raise LookupError("no such campaign")

    await store.write(_make_table)
    with pytest.raises(LookupError):
        await store.write(add_then_fail)  # nothing else queued: a batch of one, no savepoint
    assert await store.write(_add, "next") > 0
    assert await store.read(_texts) == ["next"]


async def test_when_the_transaction_fails_every_write_in_it_hears_why(store: Store) -> None:
    def commit_behind_the_stores_back(conn: sqlite3.Connection) -> None:
        conn.execute("COMMIT")

    await store.write(_make_table)
    results = await asyncio.gather(
        store.write(_add, "innocent"),
        store.write(commit_behind_the_stores_back),
        return_exceptions=True,
    )

    assert [type(r) for r in results] == [sqlite3.OperationalError] * 2
    assert await store.write(_add, "still writable") > 0


async def test_a_write_cancelled_before_its_batch_starts_is_dropped(store: Store) -> None:
    await store.write(_make_table)
    cancelled = asyncio.ensure_future(store.write(_add, "never"))
    await asyncio.sleep(0)  # queued; the writer has not taken it yet
    cancelled.cancel()
    await store.write(_add, "kept")

    assert cancelled.cancelled()
    assert await store.read(_texts) == ["kept"]


async def test_close_commits_what_is_queued(db_path: Path) -> None:
    store = await open_store(db_path)
    await store.write(_make_table)
    queued = [asyncio.ensure_future(store.write(_add, f"queued {i}")) for i in range(3)]
    await asyncio.sleep(0)  # the writes are queued, not yet committed
    await store.close()
    await asyncio.gather(*queued)

    reopened = await open_store(db_path)
    assert await reopened.read(_texts) == ["queued 0", "queued 1", "queued 2"]
    await reopened.close()


@pytest.mark.parametrize("use", [lambda s: s.write(_texts), lambda s: s.read(_texts)])
async def test_a_closed_store_refuses_work(
    db_path: Path, use: Callable[[Store], "asyncio.Future[list[str]]"]
) -> None:
    store = await open_store(db_path)
    await store.close()
    with pytest.raises(RuntimeError, match="closed"):
        await use(store)


async def test_a_file_that_cannot_be_opened_raises_and_leaves_no_thread(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await open_store(tmp_path / "no-such-directory" / "db.sqlite3")
